# SIGTERM stops reading, and --state is still written: the next run goes
# on from it and completes the customer's window. (SIGUSR1's stats show
# when the first line has been read.)
. "$TOP/tests/e2e/lib.sh"
mkfifo fifo
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -C 0 --state st fifo >out 2>err &
pid=$!
exec 3>fifo
catches $pid 10
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' >&3
wait_for 100 'kill -USR1 $pid; grep -qs "lines read  *1$" err' ||
    echo "line not read within 10s"
kill -TERM $pid
wait $pid; echo "exit $?"
exec 3>&-
[ -f st ] && echo "state written"
printf '%s\n' '2026-11-21T10:01:00Z web C1 /checkout 502' | cx -C 0 --state st
st
