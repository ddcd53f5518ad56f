# SIGTERM stops reading, and --state is still written: the next run goes
# on from it and completes the customer's window. (-x shows when the
# first line has been read: its account is flushed before cxwatch waits.)
. "$TOP/tests/e2e/lib.sh"
mkfifo fifo
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -x -C 0 --state st fifo >out &
pid=$!
exec 3>fifo
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' >&3
wait_for 100 'grep -qs "^fifo:1:" out' || echo "line not read within 10s"
kill -TERM $pid
wait $pid; echo "exit $?"
exec 3>&-
[ -f st ] && echo "state written"
printf '%s\n' '2026-11-21T10:01:00Z web C1 /checkout 502' | cx -C 0 --state st
st
