# Without -f too, SIGUSR1 prints the --stats figures and the run goes on
# (here while cxwatch waits on a pipe).
. "$TOP/tests/e2e/lib.sh"
mkfifo fifo
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -x fifo >out 2>err &
pid=$!
exec 3>fifo
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' >&3
wait_for 100 'grep -qs "^fifo:1:" out' || echo "line not read within 10 s"
kill -USR1 $pid
wait_for 100 'grep -qs "lines read" err' || echo "no stats within 10 s"
kill -0 $pid && echo "still running"
printf '%s\n' '2026-11-21T10:00:01Z web C1 /checkout 502' >&3
exec 3>&-
wait $pid; echo "exit $?"
grep -E 'lines read|^  events  ' err
grep -c '^fifo:' out
