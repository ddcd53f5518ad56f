# make bench runs end to end on a tiny corpus: its report has every row,
# and every cell of a row is a number (a ratio, ms, MB; a goal: with ≤ or
# <), yes, no or a dash.
# The numbers vary from run to run, so only the row names are printed; a
# bad cell is printed as "bad: ROW: CELL". Peak RSS needs /usr/bin/time
# (without it make bench says n/a, which is a bad cell here).
. "$TOP/tests/e2e/lib.sh"
need_tool make /usr/bin/time
make -s -C "$TOP" bench BENCH_LINES=20000 BENCH_ROUNDS=1 BENCH_ACTIVE=20000 \
    BENCH_EVENTS=40000 BENCH_CUSTOMERS=20000 BENCH_LIVE_EVENTS=40000 \
    BENCH_LIVE_CUSTOMERS=20000 BENCH_DIR="$PWD/b" \
    >report 2>log || { cat log >&2; exit 1; }
awk '
function ok(c) {
	if (c ~ /^((≤|<|≥) )?[0-9]+(\.[0-9]+)?(×| ms| MB| MB\/s)?( \(gz [0-9]+(\.[0-9]+)?\))?$/)
		return 1
	return c == "yes" || c == "no" || c == "—"
}
/^\| --- / { next }
/^\| / {
	sub(/^\| /, ""); sub(/ \|$/, "")
	n = split($0, c, / \| /)
	if (c[1] == "command" || c[1] == "run" || c[1] == "target" ||
	    c[1] == "read" || c[1] == "input" || c[1] == "lines" ||
	    c[1] ~ /^latency/) {
		print c[1]
		table = c[1]
		next
	}
	print c[1] (table == "input" ? ", " c[2] : "")
	# The instructions table names its rules in the second column.
	for (i = table == "input" ? 3 : 2; i <= n; i++)
		if (!ok(c[i]))
			print "bad: " c[1] ": " c[i]
}' report
