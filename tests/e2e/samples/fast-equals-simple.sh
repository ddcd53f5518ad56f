# The fast path (prefilters, the time cache, a merge's peek reused) gives
# byte for byte what --no-prefilter gives, which runs every pattern and
# parses every time in full: on a generated day (tests/bench/gen, as make
# bench makes it) in one time-sorted file, as three files merged by time,
# as JSON, with -x (every line's fields and time), with two files of one
# source, and with -s; then with incidents.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 5 -n 40000 day >/dev/null || exit 1
# day.log: the three logs merged by time, as tests/bench/run does it.
for s in web support billing; do
	awk -v kind=$s '
	BEGIN {
		split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m)
		for (i = 1; i <= 12; i++)
			mon[m[i]] = sprintf("%02d", i)
	}
	kind == "web" {
		d = substr($0, index($0, "[") + 1, 20)
		k = substr(d, 8, 4) "-" mon[substr(d, 4, 3)] "-" \
		    substr(d, 1, 2) "T" substr(d, 13, 8) ".000Z"
	}
	kind == "support" { k = substr($0, 1, 24) }
	kind == "billing" { k = substr($0, index($0, "\"ts\":\"") + 6, 24) }
	{ print k " " $0 }' day/$s.log >key.$s
done
sort -m -s -t ' ' -k 1,1 key.web key.support key.billing |
    cut -d ' ' -f 2- >day.log
echo "lines: $(wc -l <day.log)"
R=$TOP/rules
three="day/web.log day/support.log day/billing.log"
INC=
run() {
	"$CXWATCH" -r "$R" $INC "$@" >fast 2>fast.err
	echo "exit $?" >>fast
	"$CXWATCH" -r "$R" $INC --no-prefilter "$@" >simple 2>simple.err
	echo "exit $?" >>simple
}
same() {
	if cmp -s fast simple && cmp -s fast.err simple.err; then
		echo "$1: same, $(grep -c "$2" fast) $2"
	else
		echo "$1: DIFFERENT"
		diff fast simple | head -n 10
	fi
}
run day.log
same "merged file, text" ALERT
run -o json day.log
same "merged file, json" '"customer"'
run $three
same "3 files merged, text" ALERT
run -o json $three
same "3 files merged, json" '"customer"'
run -x $three
same "3 files merged, -x" 'source='
# Two inputs of one source: each peek must keep its own line's fields.
awk 'NR % 2' day/web.log >web1.log
awk '!(NR % 2)' day/web.log >web2.log
run -x web1.log day/support.log web2.log day/billing.log
same "4 files merged, -x" 'source='
# -s: every counter but the clock's.
run -q -s $three
grep -v -e elapsed -e throughput fast.err >f && mv f fast.err
grep -v -e elapsed -e throughput simple.err >f && mv f simple.err
same "3 files merged, -s" exit
grep -e 'lines read' -e 'events  ' -e 'alerts' fast.err
# The same with [incident] (cxwatch.rules(5), semantics 7 to 13).
inc_rules inc 4 10m 20m
R=inc
run day.log
same "incident, merged file, text" INCIDENT
run -o json $three
same "incident, 3 files merged, json" '"type":"incident'
run -x $three
same "incident, 3 files merged, -x" '=> .* INCIDENT'
run -q -s $three
grep -v -e elapsed -e throughput fast.err >f && mv f fast.err
grep -v -e elapsed -e throughput simple.err >f && mv f simple.err
same "incident, 3 files merged, -s" exit
grep -e 'incident' fast.err
