# Semantics 5: a score of 4 with threshold 5 raises nothing; exit 1.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:02:00Z web C1 /home 500' | cx -C 0
st
