# Semantics 3: the first rule that holds makes the one event: a checkout
# 502 is checkout-5xx (weight 3), not server-error; a slow 502 elsewhere
# is server-error, not slow.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /home 503 rt=9.5' \
    '2026-11-21T10:00:02Z web C1 /home 200 rt=9.5' \
    '2026-11-21T10:00:03Z web C1 /home 200 rt=0.5' | cx -x -T 100
st
