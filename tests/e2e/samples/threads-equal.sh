# --threads (issue 13): worker threads claim and decide the lines in
# chunks of about 2,000 while one thread applies them in order, so every
# path gives byte for byte what --threads 1 gives, on one thread: one
# file, three merged by time, three gzip files, a pipe, standard input
# redirected from a file, --no-prefilter, -s, --report, --state in two
# halves, and an unsorted merge where every line's place depends on the
# times of lines that decide nothing. 2, 3 and 7 threads make different
# interleavings of chunks; tiny --max-line makes long lines skipped on
# both sides of chunk edges. Then the same with an [incident] section
# (cxwatch.rules(5), semantics 7 to 13): incidents, their ends and the
# ids on alerts come out the same on every path.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 7 -n 60000 -v 250 day >/dev/null || exit 1
R=$TOP/rules
set -- day/web.log day/support.log day/billing.log
cat "$@" >all.log
gzip -k "$@"
INC=
run() {
	what=$1
	shift
	"$CXWATCH" -r "$R" $INC --threads 1 "$@" >one 2>one.err
	echo "exit $?" >>one
	for t in 2 3 7; do
		"$CXWATCH" -r "$R" $INC --threads $t "$@" >many 2>many.err
		echo "exit $?" >>many
		if cmp -s one many && cmp -s one.err many.err; then
			:
		else
			echo "$what, --threads $t: DIFFERENT"
			diff one many | head -n 5
			diff one.err many.err | head -n 5
			return
		fi
	done
	echo "$what: same, $(grep -c -e ALERT -e '"customer"' one) alerts$(
	    [ -z "$INC" ] || echo ", $(grep -c -e 'INCIDENT ' \
	    -e '"type":"incident' one) incident lines, $(grep -c \
	    -e 'incidents=' -e '"incidents"' one) alerts with ids")"
}
run "one file" all.log
run "one file, json" -o json all.log
run "3 files merged" "$@"
run "3 gzip files merged" day/web.log.gz day/support.log.gz day/billing.log.gz
run "3 files one after another" --no-merge "$@"
run "--no-prefilter" --no-prefilter "$@"
run "--max-line 200" --max-line 200 "$@"
run "forced source" web=day/web.log support=day/support.log \
    billing=day/billing.log
# Standard input: redirected from a file (read as a file), and a pipe
# (read as it comes, by loop.c).
"$CXWATCH" -r "$R" --threads 1 <all.log >one
for t in 2 3; do
	"$CXWATCH" -r "$R" --threads $t <all.log >many
	cmp -s one many || echo "stdin redirected, --threads $t: DIFFERENT"
	cat all.log | "$CXWATCH" -r "$R" --threads $t >many
	cmp -s one many || echo "stdin piped, --threads $t: DIFFERENT"
done
echo "standard input: $(grep -c ALERT one) alerts"
# -s: every counter but the clock's.
"$CXWATCH" -r "$R" --threads 1 -q -s "$@" 2>&1 |
    grep -v -E '^  (elapsed|throughput) ' >one
"$CXWATCH" -r "$R" --threads 2 -q -s "$@" 2>&1 |
    grep -v -E '^  (elapsed|throughput) ' >many
cmp -s one many && echo "-s: same" || { echo "-s: DIFFERENT"; diff one many; }
grep -e 'lines read' -e 'events  ' -e 'alerts' one
"$CXWATCH" -r "$R" --threads 1 -q --report-format json --report r1 "$@"
"$CXWATCH" -r "$R" --threads 2 -q --report-format json --report r2 "$@"
sed 's/"elapsed[^,]*,//' r1 >r1.c
sed 's/"elapsed[^,]*,//' r2 >r2.c
cmp -s r1.c r2.c && echo "--report: same" || echo "--report: DIFFERENT"
# --state: the day in two halves, with two threads, as in one run.
"$CXWATCH" -r "$R" --threads 1 all.log >whole
half=$(( $(wc -l <all.log) / 2 ))
head -n "$half" all.log >grow.log
"$CXWATCH" -r "$R" --threads 2 --state st grow.log >halves
tail -n +"$((half + 1))" all.log >>grow.log
"$CXWATCH" -r "$R" --threads 2 --state st grow.log >>halves
cmp -s whole halves && echo "--state halves: same as one run" ||
    echo "--state halves: DIFFERENT"
# Unsorted inputs: a merge holds an input at a line with a late time, and
# so orders every later line by lines that decide nothing.
awk 'NR % 3 == 0 { print; next } { buf[NR] = $0 }
    NR % 3 == 2 { print buf[NR]; print buf[NR - 1] }' day/support.log \
    >shuffled.log
run "unsorted merge" day/web.log shuffled.log day/billing.log
# [incident]: four customers within 10 minutes opens one.
inc_rules inc 4 10m 20m
R=inc INC=" "
run "incident, one file" all.log
run "incident, json" -o json "$@"
run "incident, 3 files merged" "$@"
run "incident, 3 gzip files merged" day/web.log.gz day/support.log.gz \
    day/billing.log.gz
run "incident, --no-prefilter" --no-prefilter "$@"
run "incident, forced source" web=day/web.log support=day/support.log \
    billing=day/billing.log
run "incident, unsorted merge" day/web.log shuffled.log day/billing.log
for t in 2 3; do
	cat all.log | "$CXWATCH" -r "$R" $INC --threads $t >many
	"$CXWATCH" -r "$R" $INC --threads 1 <all.log >one
	cmp -s one many || echo "incident, stdin piped, --threads $t: DIFFERENT"
done
"$CXWATCH" -r "$R" $INC --threads 1 -q -s "$@" 2>&1 |
    grep -v -E '^  (elapsed|throughput) ' >one
"$CXWATCH" -r "$R" $INC --threads 2 -q -s "$@" 2>&1 |
    grep -v -E '^  (elapsed|throughput) ' >many
cmp -s one many && echo "incident, -s: same" || echo "incident, -s: DIFFERENT"
grep -e 'incident' one
# --state carries open incidents: two halves (cut in several places, the
# middle two while an incident is open: login-failed's opened by line
# 36194, server-error's by line 37348) write what one run with --state
# writes.
rm -f st1
"$CXWATCH" -r "$R" $INC --threads 1 --state st1 all.log >whole
for half in 7000 36194 37400 54600; do
	rm -f st
	head -n "$half" all.log >grow.log
	"$CXWATCH" -r "$R" $INC --threads 2 --state st grow.log >halves
	tail -n +"$((half + 1))" all.log >>grow.log
	"$CXWATCH" -r "$R" $INC --threads 2 --state st grow.log >>halves
	cmp -s whole halves && echo "incident, --state halves at $half: same" ||
	    echo "incident, --state halves at $half: DIFFERENT"
done
