# Semantics 5: the alert comes on the event that makes the score reach
# the threshold (3 + 1 + 1 = 5), at that event's time, with evidence.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:01:00Z web C2 /checkout 502' \
    '2026-11-21T10:02:00Z web C1 /home 500' \
    '2026-11-21T10:03:00Z web C1 /home 200 rt=4' \
    '2026-11-21T10:04:00Z web C1 /home 500' | cx -C 0
st
