# A run killed with SIGKILL saves no state: the retry reads every line
# again (none is lost), and what the two runs together count is what one
# run counts. Here the run is killed while its output is blocked, half
# way through its input, so the kill cannot come too late.
. "$TOP/tests/e2e/lib.sh"
i=0
while [ $i -lt 3000 ]; do
	printf '2026-11-21T10:00:00Z web C%d /checkout 502\n2026-11-21T10:00:01Z web C%d /checkout 502\n' $i $i
	i=$((i + 1))
done >day1
cx -C 0 --state st day1 >whole
echo "one run: $(grep -c ALERT whole) alerts"
rm -f st
mkfifo out
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -C 0 --state st day1 >out &
pid=$!
exec 3<out
# The pipe and cxwatch's buffer fill, and the run stops in write(2).
# (The input's offset, on whichever descriptor it has.)
pos() {
	for fd in /proc/$pid/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$PWD/day1" ] &&
		    sed -n 's/^pos:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}"
	done
}
wait_for 100 "grep -q 'State:.*S' /proc/$pid/status && [ \"\$(pos)\" -gt 0 ] 2>/dev/null" ||
    echo "not blocked within 10 s"
# (Whether the shell says "Killed", and when, depends on when it reaps.)
kill -KILL $pid
wait $pid 2>/dev/null; echo "killed: exit $?"
exec 3<&-
[ -f st ] && echo "state saved (it must not be)"
cx -C 0 --state st day1 >retry; echo "retry: exit $?"
cmp whole retry && echo "the retry printed every alert of one run"
cx -C 0 --state st -s day1 2>&1 | grep -E '^  inputs already'
