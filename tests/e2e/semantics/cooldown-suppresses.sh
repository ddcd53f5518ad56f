# Semantics 5: after an alert the window empties and the customer is
# suppressed for the cooldown (1h); events during it still count, and the
# first event at or after the cooldown's end alerts again.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:01:00Z web C1 /checkout 502' \
    '2026-11-21T10:02:00Z web C1 /checkout 502' \
    '2026-11-21T10:03:00Z web C1 /checkout 502' \
    '2026-11-21T10:58:00Z web C1 /checkout 502' \
    '2026-11-21T10:59:00Z web C1 /checkout 502' \
    '2026-11-21T11:01:00Z web C1 /home 500' | cx -C 0 -e 0
st
