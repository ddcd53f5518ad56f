# Semantics 2: empty, anonymous and over-256-byte customers are ignored.
. "$TOP/tests/e2e/lib.sh"
long=$(printf '%0257d' 0)
ok=$(printf '%0256d' 0)
printf '%s\n' '2026-11-21T10:00:00Z support  chat.abandoned' \
    '2026-11-21T10:00:00Z web - /checkout 502' \
    '2026-11-21T10:00:00Z web guest /checkout 502' \
    "2026-11-21T10:00:00Z web $long /checkout 502" \
    "2026-11-21T10:00:00Z web $ok /checkout 502" |
    cx -x -T 100 -C 0 | cut -c1-120
st
