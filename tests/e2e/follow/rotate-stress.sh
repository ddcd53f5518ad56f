# Rotation while the lines keep coming: a writer appends 3000 numbered
# lines without waiting for cxwatch, and every 300 lines the log is
# rotated, alternately renamed away (mv) and deleted and re-created (rm).
# Every line written is processed once: none lost, none twice. Then a
# copytruncate (cxwatch has caught up, as logrotate's copy would need):
# the lines after it are read from the start of the truncated file.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -x -C 0 -T 100000 log
opened log 0
# Has cxwatch the file now called $1 open?
reading() {
	for fd in /proc/$pid/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$PWD/$1" ] && return 0
	done
	return 1
}
i=1 k=0
while [ $i -le 3000 ]; do
	printf '2026-11-21T10:00:00Z web C1 /p%d 200\n' $i >>log
	if [ $((i % 300)) -eq 0 ] && [ $i -lt 3000 ]; then
		# Two rotations within one look at the files (50 ms) would
		# lose the file between them, as with tail -F: rotate only
		# once cxwatch follows the file now at the name.
		wait_for 100 'reading log' || echo "log not opened within 10 s"
		k=$((k + 1))
		if [ $((k % 2)) -eq 1 ]; then mv log log.$k; else rm log; fi
	fi
	i=$((i + 1))
done
wait_for 200 '[ $(grep -sc "^log:" out) -ge 3000 ]' || echo "only $(grep -sc '^log:' out) lines seen"
opened log "$(wc -c <log)"
cp log log.copy; : >log
printf '2026-11-21T10:00:00Z web C1 /p%d 200\n' 3001 3002 >>log
wait_for 100 '[ $(grep -sc "^log:" out) -ge 3002 ]' || echo "only $(grep -sc '^log:' out) lines seen"
stop
sed -n 's/^log:[0-9]*: .* path=\/p\([0-9]*\) .*/\1/p' out >seen
echo "lines processed: $(wc -l <seen)"
echo "distinct: $(sort -u seen | wc -l)"
seq 3002 | cmp -s - seen && echo "all, in order"
