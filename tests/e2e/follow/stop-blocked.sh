# -f: SIGTERM while the alerts' reader reads nothing (stdout a full pipe)
# ends the run at once, though libev restarts an interrupted write: what
# the pipe does not take is dropped and counted, --state is saved, the
# exit status is 2. Every alert raised is in the pipe whole or counted.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
mkfifo o
hold o 60000
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -f -C 0 -e 0 -s --state st log \
    >o 2>err &
pid=$!
opened log 0
awk 'BEGIN { for (i = 1; i <= 5000; i++) {
	printf "2026-11-21T10:00:00Z web C%d /checkout 502\n", i
	printf "2026-11-21T10:00:01Z web C%d /checkout 502\n", i } }' >>log
wait_for 100 '[ -f full ]' || echo "stdout not full within 10 s"
kill -TERM $pid
ends_within $pid 30
echo "exit $ended"
grep -v '^  ' err | sed 's/; [0-9]* alerts not written/; N alerts not written/'
[ -s st ] && echo "state saved"
hold_count
lost=$(sed -n 's/.*; \([0-9]*\) alerts not written/\1/p' err)
alerts=$(awk '$1 == "alerts" { print $2 }' err)
[ $((held + lost)) -eq "$alerts" ] && echo "written + not written = alerts" ||
    echo "written $held + not written $lost, alerts $alerts"
