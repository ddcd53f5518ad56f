# Two runs over the two halves of the sample day with --state print
# exactly the alerts one run over the whole day prints; the planted
# journeys that straddle noon and 20:00 included. Without --state the
# second half forgets the first. With [incident], the incidents too
# (cxwatch.rules(5), semantics 13), where both sides save --state.
. "$TOP/tests/e2e/lib.sh"
S=$TOP/tests/data/sample
am='(0[0-9]|1[01]):'
grep -E "\[21/Nov/2026:$am" "$S/web.log" >web.1
grep -v -E "\[21/Nov/2026:$am" "$S/web.log" >web.2
# The time leads a support line or is under ts=, quoted or not; in billing
# it is "ts", with or without a blank after the colon (tests/bench/gen -v).
sup="(^|(^|[ ])ts=\"?)2026-11-21T$am"
bil="\"ts\": ?\"2026-11-21T$am"
grep -E "$sup" "$S/support.log" >support.1
grep -v -E "$sup" "$S/support.log" >support.2
grep -E "$bil" "$S/billing.log" >billing.1
grep -v -E "$bil" "$S/billing.log" >billing.2
echo "lines: $(cat web.1 support.1 billing.1 | wc -l) + $(cat web.2 support.2 billing.2 | wc -l)"
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx "$S/web.log" "$S/support.log" "$S/billing.log" >whole
cx --state st web.1 support.1 billing.1 >halves
echo "first half: exit $?"
cx --state st web.2 support.2 billing.2 >>halves
echo "second half: exit $?"
cmp whole halves && echo "same alerts: $(grep -c ALERT halves)"
# Split inside a journey: the web-only at-threshold story (planted.txt),
# cut after its first failure.
c=$(awk '$2 == "at-threshold" { print $1; exit }' "$S/planted.txt")
n=$(grep -n " $c .*\"POST /checkout/pay HTTP/1.1\" 50" "$S/web.log" | head -1 |
    cut -d: -f1)
[ -n "$n" ] || echo "no checkout failure of $c in web.log"
head -n "$n" "$S/web.log" >w.1; tail -n +"$((n + 1))" "$S/web.log" >w.2
cx "$S/web.log" >whole2
cx --state st2 w.1 >halves2
cx --state st2 w.2 >>halves2
cmp whole2 halves2 && echo "same alerts when split mid-journey: $(grep -c ALERT halves2)"
cx w.1 >nostate; cx w.2 >>nostate
echo "without --state: $(grep -c ALERT nostate)"
inc_rules inc 2 30m 1h
cxi() { "$CXWATCH" -r inc "$@"; }
cxi --state st3 "$S/web.log" "$S/support.log" "$S/billing.log" >whole3
cxi --state st4 web.1 support.1 billing.1 >halves3
cxi --state st4 web.2 support.2 billing.2 >>halves3
cmp whole3 halves3 && echo "same incidents: $(grep -c 'INCIDENT ' halves3)," \
    "$(grep -c ALERT halves3) alerts"
