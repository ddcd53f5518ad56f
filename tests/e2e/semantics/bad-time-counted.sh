# Semantics 2: a time that does not parse counts as "bad time", no event.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-13-21T10:00:00Z web C1 /checkout 502' \
    'yesterday web C1 /checkout 502' \
    '2026-11-21T10:00:00Z web C1 /checkout 502' | cx -x -T 100 -s 2>stats
st
grep -E 'lines bad time|^  events  ' stats
