# The fast path gives what --no-prefilter gives with the shipped json and
# logfmt sources, on a generated day whose support and billing lines are
# all in a varied form (tests/bench/gen -v 1000): every line's -x, the
# alerts as text and JSON, and -s but for its timings.
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 7 -n 20000 -v 1000 day >/dev/null || exit 1
set -- day/web.log day/support.log day/billing.log
for p in "" --no-prefilter; do
	"$CXWATCH" -r "$TOP/rules" $p -x "$@" >x$p
	"$CXWATCH" -r "$TOP/rules" $p -o json "$@" >j$p
	"$CXWATCH" -r "$TOP/rules" $p -q -s "$@" 2>&1 |
	    grep -v -E '^  (elapsed|throughput) ' >s$p
done
cmp x x--no-prefilter && echo "-x: the same, $(wc -l <x) lines"
cmp j j--no-prefilter && echo "json: the same, $(grep -c -v '^{"type":' j)" \
    "alerts, $(grep -c '^{"type":' j) incident lines"
cmp s s--no-prefilter && echo "-s: the same"
grep -E '^  (lines (unmatched|unparsable)|unparsable source)' s
