# -f with standard input (tail -F file | cxwatch -f): lines are read
# without blocking as they come, alerts flushed at once; the run ends
# when standard input does.
. "$TOP/tests/e2e/follow-lib.sh"
mkfifo fifo
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -f -C 0 -e 0 <fifo >out 2>err &
pid=$!
exec 3>fifo
line 1 C1 /checkout 502 >&3
line 2 C1 /checkout 502 >&3
wait_for 100 'grep -qs ALERT out' || echo "no alert within 10 s"
cat out
exec 3>&-
wait $pid; echo "exit $?"
