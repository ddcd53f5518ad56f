# SIGTERM while reading a pipe: cxwatch stops reading, prints the alerts
# it has, and exits by its usual rule (0: there was an alert).
. "$TOP/tests/e2e/lib.sh"
mkfifo fifo
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -C 0 -e 0 fifo >out &
pid=$!
exec 3>fifo
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >&3
# Alerts reach stdout before cxwatch waits on the pipe again.
wait_for 100 'grep -qs ALERT out' || echo "no alert within 10s"
kill -TERM $pid
wait $pid; echo "exit $?"
exec 3>&-
cat out
