# Rotation as logrotate's create and nginx's reopen do it: the log is
# renamed, a new one is created, and the writer goes on appending to the
# old file until it is told to reopen (postrotate). A writer keeps
# appending numbered lines through its descriptor after the rename and
# after cxwatch follows the new file, then reopens by name and goes on.
# The old file is read until it has been quiet for the rotate wait (2 s
# here), then closed: every line is processed exactly once, none glued.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f --rotate-wait 2s -x -C 0 -T 1000000 log
opened log 0
cat >writer.sh <<'EOW'
p() { echo "2026-11-21T10:00:00Z web C1 /p$i 200" >&3; i=$((i + 1)); }
exec 3>>log
i=1
# Steadily, not flat out, until told: a slow cxwatch (valgrind) keeps up.
while [ ! -e rotated ]; do
	p
	[ $((i % 10)) -eq 0 ] && sleep 0.02
done
k=$((i + 2000))
while [ $i -lt $k ]; do p; done
exec 3>>log
k=$((i + 2000))
while [ $i -lt $k ]; do p; done
echo $((i - 1)) >total
EOW
sh writer.sh &
w=$!
wait_for 100 '[ $(wc -l <log) -ge 500 ]' || echo "the writer is slow"
mv log log.1
: >log
# Has cxwatch the file now called $1 open?
reading() {
	for fd in /proc/$pid/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$PWD/$1" ] && return 0
	done
	return 1
}
wait_for 100 'reading log' || echo "new log not followed within 10 s"
reading log.1 && echo "log.1 still read"
touch rotated
wait $w
total=$(cat total)
wait_for 300 '[ $(grep -c "^log:" out) -ge $total ]' || echo "only $(grep -c '^log:' out) of $total lines seen"
wait_for 100 '! reading log.1' || echo "log.1 not closed within 10 s of going quiet"
stop
sed -n 's/^log:[0-9]*: .* path=\/p\([0-9]*\) .*/\1/p' out | sort -n >seen
seq "$total" | cmp -s - seen && echo "every line once"
echo "other lines: $(grep -vc ' path=/p[0-9]* status=200 ' out)"
