# A million events for one customer inside one window (issue 6): the
# window keeps at most 4096 events one by one and folds the rest, so
# memory stays flat, and with threshold <= 4096 the alerts are the ones
# the unbounded semantics give. The flood lasts 5 minutes, 0.3 ms apart,
# every 7th a /home 500. Window 10m, cooldown 2m: it alerts at its second
# event, then at the first event at or after 10:02 and 10:04, each time
# counting every event since the last alert (none has left the window).
# Then cooldown 1h: all but two events wait in one window, which without
# the bound holds a million of them (16 MB of ring alone).
. "$TOP/tests/e2e/lib.sh"
need_tool /usr/bin/time
awk 'BEGIN {
	for (i = 0; i < 1000000; i++) {
		ms = int(i * 3 / 10)
		printf "2026-11-21T10:%02d:%02d.%03dZ web C1 %s\n",
		    int(ms / 60000), int(ms / 1000) % 60, ms % 1000,
		    i % 7 == 6 ? "/home 500" : "/checkout 502"
	}
}' >flood.log
cx -w 10m -c 2m -C 0 -e 2 -s flood.log 2>stats.err
st
grep -E '^  (events  |events late|alerts|customers peak)' stats.err
# peak RSS KB of cx with these arguments
rss() {
	/usr/bin/time -o time.out -f '%M' "$CXWATCH" \
	    -r "$TOP/tests/data/e2e.rules" "$@" 2>/dev/null
	tail -n 1 time.out
}
empty=$(rss -w 10m -c 1h -C 0 -e 2 -q /dev/null)
flood=$(rss -w 10m -c 1h -C 0 -e 2 -q flood.log)
if [ $((flood - empty)) -lt 8192 ]; then
	echo "flood adds under 8 MB to the peak RSS"
else
	echo "flood adds $((flood - empty)) KB to the peak RSS"
fi
