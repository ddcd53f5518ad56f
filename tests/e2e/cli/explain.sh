# -x says, for every line, what happened to it, with the reason each
# rule failed; an alert shows as "=> ...".
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' 'garbage' \
    '2026-11-21T10:00:00Z web C1 /checkout 502 rt=0.1' \
    '2026-11-21T10:00:01Z web C1 /home 200 rt=0.1' \
    '2026-11-21T10:00:02Z web C1 /checkout 500' \
    '2026-11-21T10:00:03Z support C1 "odd=value"' >in
cx -x in
st
