# cxwatch.rules(5), semantics 13: --state carries the rule windows and
# open incidents, so the day cut after any line, in two runs, writes what
# one run with --state writes; a run without --state also ends, at the
# end of the input, the incident still open there (server-error's).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/incident/day.sh"
ci -e 0 --state whole.st day.log >whole
n=$(wc -l <day.log)
i=1
while [ "$i" -lt "$n" ]; do
	rm -f st
	head -n "$i" day.log >grow.log
	ci -e 0 --state st grow.log >halves
	cat day.log >grow.log
	ci -e 0 --state st grow.log >>halves
	cmp -s whole halves || echo "cut after line $i: DIFFERENT"
	i=$((i + 1))
done
echo "$((n - 1)) cuts"
ci -e 0 day.log >nostate
diff whole nostate
# A second run on the whole day with the state of the first: every line
# was read, so nothing more is written, and the open incident stays open.
ci -e 0 --state whole.st day.log
st
