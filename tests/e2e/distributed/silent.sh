# --producer-timeout and --lateness, against a real nats-server.
# Three live producers (--emit -f); one is stopped (SIGSTOP): after its
# watermarks' clock falls more than --producer-timeout behind the
# others', it holds nothing back and their events are applied; stopped
# no more, its event older than those applied is late -- applied at once
# and counted, not slipped in silently -- and the run goes on.
# Then --lateness: an event 2.5 minutes of log time behind its
# producer's watermark is in time with --lateness 5m, late without.
# Every line is a failure with threshold 1: one alert per line, in the
# order the consumer applied them. (Quiet, a live producer's watermark
# moves on with the wall clock: a's and b's events all go once c is
# passed over.)
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/nats-lib.sh"
cat >t.rules <<'EOF'
[settings]
window = 1h
threshold = 1
cooldown = 1h
channels = 0
[source t]
format = template
template = $time $customer $what
timefmt = iso8601
[rule fail]
source = t
if = what == fail
EOF
# line FILE MM:SS CUSTOMER: a failure at 2026-12-01T00:MM:SS.
line() { echo "2026-12-01T00:$2Z $3 fail" >>"$1"; }
emit() { exec "$CXWATCH" -r t.rules --emit "$U" --emit-subject "$1" \
    --producer "$2" -f --from-start "$2.log" 2>"$2.err"; }
got() { jq -r .customer "$1" 2>/dev/null | tr '\n' ' '; }
has() { got "$1" | grep -q "$2"; }

for p in a b c; do
	: >"$p.log"
	line "$p.log" 00:01 "${p}1"
	line "$p.log" 00:10 "${p}9"
done
"$CXWATCH" -r t.rules -o json --consume "$U" --emit-subject silent \
    --producers 3 --producer-timeout 2s >c.json 2>c.err &
cpid=$!
for p in a b c; do emit silent "$p" & eval "p_$p=\$!"; done
wait_for 150 'has c.json c1' || echo "no alerts below every watermark"
echo "all three heard"
kill -STOP "$p_c"
line a.log 01:00 a2; line a.log 02:00 a8
line b.log 01:00 b2; line b.log 02:00 b8
wait_for 150 'has c.json b8' || echo "c's silence held the others back"
echo "c silent: $(got c.json)"
line c.log 00:30 c2; line c.log 03:00 c3
kill -CONT "$p_c"
wait_for 150 'grep -q "heard from again" c.err && has c.json c2' ||
    echo "c's events did not come"
for p in a b c; do kill -TERM "$(eval echo "\$p_$p")"; done
for p in a b c; do
	ends_within "$(eval echo "\$p_$p")" 100
	[ "$ended" = 0 ] || echo "producer $p: exit $ended $(cat "$p.err")"
done
ends_within "$cpid" 100
echo "consumer: exit $ended"
echo "in the order applied: $(got c.json)"
sed 's/^[^:]*: //' c.err

# lateness DUR STREAM: producers a (events at 1:00, 3:00) and b (3:00),
# then b's event at 0:30 once the consumer has read the rest.
lateness() {
	printf '' >a.log; printf '' >b.log
	line a.log 01:00 a1; line a.log 03:00 a3; line b.log 03:00 b3
	"$CXWATCH" -r t.rules -o json --consume "$U" --emit-subject "$2" \
	    --producers 2 --producer-timeout 0 --lateness "$1" \
	    >"$2.json" 2>"$2.err" &
	cpid=$!
	emit "$2" a & pa=$!
	emit "$2" b & pb=$!
	wait_for 100 "[ \"\$(waiting $2-0 2>/dev/null)\" = 0 ]" ||
	    echo "the consumer did not read the events"
	sleep 1.5
	line b.log 00:30 b0
	sleep 1.5
	kill -TERM "$pa" "$pb"
	ends_within "$pa" 100
	ends_within "$pb" 100
	ends_within "$cpid" 100
	# Without lateness, whether a3 and b3 go before b0 is a matter of
	# wall time (the quiet producers' clocks): sorted.
	[ "$1" = 0 ] && order="sorted: $(jq -r .customer "$2.json" |
	    sort | tr '\n' ' ')" ||
	    order="in the order applied: $(got "$2.json")"
	echo "--lateness $1: exit $ended; $order"
	sed 's/^[^:]*: //' "$2.err"
}
lateness 5m late5
lateness 0 late0
