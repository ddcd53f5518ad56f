# A flood of distinct customers inside one window: 1,000,000 customers,
# one failed checkout each, with --max-customers 50000. The table never
# holds more than 50,000 (the least recently active are evicted and
# counted), so memory is bounded by --max-customers, not by the flood:
# peak RSS stays under 64 MB (about 300 bytes a customer with its
# evidence line, plus the buffers). A customer pushed out and back
# starts afresh, so nobody alerts.
. "$TOP/tests/e2e/lib.sh"
need_tool /usr/bin/time
# Under ASan (make check's sanitizer pass), freed memory waits in its
# quarantine (256 MB by default) and would count as ours: keep it small.
[ -n "${ASAN_OPTIONS:-}" ] &&
    export ASAN_OPTIONS="$ASAN_OPTIONS:quarantine_size_mb=8"
awk 'BEGIN { for (i = 1; i <= 1000000; i++)
	printf "2026-11-21T10:%02d:%02dZ web C%07d /checkout 502\n",
	    int(i / 200000), int(i / 4000) % 50, i }' |
    /usr/bin/time -f 'rss %M' -o rss "$CXWATCH" -r "$TOP/tests/data/e2e.rules" \
    --max-customers 50000 -s 2>stats
st
grep -E '^  (lines read|events  |alerts|customers (tracked|peak|evicted))' stats
rss=$(sed -n 's/^rss //p' rss)
[ "$rss" -lt 65536 ] && echo "rss under 64 MB" || echo "rss $rss KiB"
