# With 1,000 more web rules (issue 13: a rule's cost should not grow with
# the number of rules), the fast path, which finds the rules to try with
# one Vectorscan scan for their literals and one lookup of the values
# their == conditions test, decides every line as --no-prefilter does,
# which tries every rule in turn: the same -x, alerts and -s. Of the
# rules, 900 match API paths the day never has, 60 match product pages
# (some before the shipped rules would, as an earlier file), 30 test the
# method with == and 10 have no literal at all.
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 3 -n 20000 -v 500 day >/dev/null || exit 1
mkdir r
cp "$TOP"/rules/*.rules r/
awk 'BEGIN {
	for (i = 0; i < 900; i++)
		printf "[rule api-%d]\nsource = web\nmatch = \"(?:GET|POST) /api/v2/partner%d/orders[/? ]\nif = status >= 400\nweight = 2\n\n", i, i
	for (i = 0; i < 60; i++)
		printf "[rule product-%d]\nsource = web\nmatch = \"GET /products/%d%d\nif = rt >= %d\nweight = 3\n\n", i, i % 10, i, i % 4
	for (i = 0; i < 30; i++)
		printf "[rule method-%d]\nsource = web\nif = method == %s\nif = status == %d\n\n", i, i % 2 ? "GET" : "POST", 400 + i
	for (i = 0; i < 10; i++)
		printf "[rule any-%d]\nsource = web\nmatch = ^\\S+ - C0000%d\\d\nif = status >= 500\n\n", i, i
}' >r/05-many.rules
set -- day/web.log day/support.log day/billing.log
"$CXWATCH" -t -r r | tail -n 1
for p in "" --no-prefilter; do
	"$CXWATCH" -r r $p -x "$@" >x$p
	"$CXWATCH" -r r $p -s "$@" 2>&1 | grep -v -E '^  (elapsed|throughput) ' >s$p
done
cmp x x--no-prefilter && echo "-x: the same, $(wc -l <x) lines"
cmp s s--no-prefilter && echo "alerts and -s: the same, $(grep -c ALERT s) alerts"
echo "lines the extra rules decided: $(grep -c -E 'rule=(api|product|method|any)-' x)"
