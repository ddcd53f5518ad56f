# cxwatch.rules(5), semantics 7 to 13: checkout-5xx opens at its third
# distinct customer (10:02), C1's alert carries its id, it ends before the
# 10:14 line (10:04 + 10m), the cooldown (until 10:44) holds back three
# customers at 10:20-10:22, and server-error's incident, opened at 10:48,
# ends at the end of the input at 10:58. -s counts them.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/incident/day.sh"
ci -e 0 day.log
st
ci -q -s day.log 2>&1 | grep -e incident -e alerts
