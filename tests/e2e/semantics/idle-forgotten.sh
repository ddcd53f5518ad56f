# Semantics 6: a customer idle for a window (by the latest time seen) is
# forgotten. Once the log reaches 10:40, C1 (last seen 10:20) is idle, so
# its 10:05 event starts a fresh window; without C2's line the same event
# is too late for C1's window and dropped.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:20:00Z web C1 /checkout 502' \
    '2026-11-21T10:40:00Z web C2 /home 200 rt=9' \
    '2026-11-21T10:05:00Z web C1 /checkout 502' | cx -x -C 0
printf '%s\n' '2026-11-21T10:20:00Z web C1 /checkout 502' \
    '2026-11-21T10:05:00Z web C1 /checkout 502' | cx -x -C 0
