# -x shows where incidents open and end, under the line that makes them,
# and which events are too late for their rule's window.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/incident/day.sh"
l 10:05:00Z C13 '/checkout 502' >>day.log
ci -x day.log | grep -v ' no rule'
