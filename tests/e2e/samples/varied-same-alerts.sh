# The shipped rules read the sample day whatever form its support
# (logfmt) and billing (JSON) lines take: the day in its plain form
# (gen -v 0), as shipped (-v 250, a quarter varied) and with every line
# varied (-v 1000: keys in another order, extra keys, quoted values, the
# time under ts=, blanks in the JSON, a decoy customer nested in "data"
# and in a quoted msg=, a customer id with a \u escape) give the same
# alerts, the same per-rule counts and no unmatched or unparsable line.
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
for v in 0 250 1000; do
	"$GEN" -n 4000 -s 1 -d 2026-11-21 -v $v d$v >/dev/null || exit 1
done
S=$TOP/tests/data/sample
for f in web support billing planted; do
	x=log; [ $f = planted ] && x=txt
	cmp "$S/$f.$x" "d250/$f.$x" || echo "$f.$x is not gen -v 250's"
done
cmp d0/web.log d1000/web.log && echo "web.log: the same in every form"
for f in support billing; do
	echo "$f: $(cmp d0/$f.log d1000/$f.log >/dev/null || echo differs), "\
"$(paste -d '\n' d0/$f.log d1000/$f.log | awk 'NR % 2 { a = $0; next }
	    a != $0 { n++ } END { print n + 0 }') of $(wc -l <d0/$f.log) lines"
done
for v in 0 250 1000; do
	"$CXWATCH" -r "$TOP/rules" -s d$v/web.log d$v/support.log \
	    d$v/billing.log >out$v 2>stats$v
	echo "-v $v: exit $?, $(grep -c ALERT out$v) alerts"
	grep ALERT out$v >alerts$v
	grep -v -E '^  (bytes read|evidence bytes peak|elapsed|throughput) ' \
	    stats$v >counts$v
done
grep -E 'lines (unmatched|unparsable)|unparsable source' counts1000
cmp alerts0 alerts250 && cmp alerts0 alerts1000 && echo "same alerts"
cmp counts0 counts250 && cmp counts0 counts1000 && echo "same -s counts:" \
    "$(grep -c '^  events rule ' counts0) rules," \
    "$(grep -c '^  ' counts0) lines"
