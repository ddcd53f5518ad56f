# Semantics 4: an event at or before the customer's now - window is too
# late: dropped and counted, even though it would reach the threshold.
# An out-of-order event inside the window still joins.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:20:00Z web C1 /checkout 502' \
    '2026-11-21T10:10:00Z web C1 /checkout 502' \
    '2026-11-21T10:05:00Z web C1 /checkout 502' | cx -C 0 -e 0 -s 2>stats
st
grep 'events late' stats
printf '%s\n' '2026-11-21T10:20:00Z web C2 /checkout 502' \
    '2026-11-21T10:10:01Z web C2 /checkout 502' | cx -C 0 -e 0
st
