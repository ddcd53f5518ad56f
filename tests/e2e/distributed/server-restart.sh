# The single nats-server, with file storage, stopped (SIGTERM) mid-run
# and started again on its port with the same store: the detect stage
# (--consume, two partitions) waits for it and goes on from where its
# durable consumers were, taking no message twice (a batch whose ack the
# server may not have had is known again when it is redelivered), and
# the union of the partitions' alerts is the local run's. The three
# producers (--emit-pending 1, so that they are still publishing) are
# held (SIGSTOP) while the server is away, once what they sent is stored:
# a producer that goes on publishing through a server's shutdown may
# have a later watermark stored before an event it sends again, which
# the consumers would count as late (distributed/unreachable is the
# producer's own test of a server gone and back).
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
NATS=/usr/sbin/nats-server
need_tool "$NATS" jq python3
"$GEN" -s 5 -n 40000 day >/dev/null || exit 1
tool() { python3 "$TOP/tests/e2e/nats-tool.py" "$@"; }
alerts() { jq -S -c 'select(.type == null)' | sort; }
Q=$(tool port)
U=nats://127.0.0.1:$Q
npid=
srv() {
	"$NATS" -js -sd js -a 127.0.0.1 -p "$Q" -l "nats$1.log" &
	npid=$!
	wait_for 100 "grep -q 'Server is ready' nats$1.log 2>/dev/null" ||
	    { echo "nats-server did not start"; cat "nats$1.log"; }
}
trap '[ -n "$npid" ] && kill "$npid" 2>/dev/null' EXIT
"$CXWATCH" -r "$TOP/rules" -o json day/web.log day/support.log \
    day/billing.log | alerts >local
all=$(for f in web support billing; do
	"$CXWATCH" -r "$TOP/rules" -x -o json "day/$f.log" |
	    jq -r 'select(.status == "event") | 1'
done | wc -l)
srv 1
cpids=
for k in 0 1; do
	"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --partitions 2 \
	    --partition "$k" --producers 3 >"c$k.json" 2>"c$k.err" &
	cpids="$cpids $!"
done
ppids=
for f in web support billing; do
	"$CXWATCH" -r "$TOP/rules" --emit "$U" --partitions 2 --producer "$f" \
	    --emit-pending 1 "day/$f.log" 2>"e-$f.err" &
	ppids="$ppids $!"
done
wait_for 300 '[ "$(tool events "$Q" cxwatch)" -ge 300 ]' ||
    echo "fewer than 300 events stored in 30 s"
kill -STOP $ppids
running=0
for p in $ppids; do ended "$p" || running=$((running + 1)); done
# What they sent is stored (a count that holds for half a second).
n0=-1
while n1=$(tool events "$Q" cxwatch) && [ "$n1" != "$n0" ]; do
	n0=$n1
	sleep 0.5
done
[ "$n0" -lt "$all" ] && [ "$running" = 3 ] &&
    echo "server stopped mid-run: the three producers still running" ||
    echo "not mid-run: $n0 of $all events stored, $running producers running"
kill -TERM "$npid"
wait "$npid"
npid=
srv 2
grep -q "Restored $n0 messages for stream '\$G > cxwatch'" nats2.log &&
    grep -q "Recovering 2 consumers for stream - '\$G > cxwatch'" nats2.log &&
    echo "server started again: its stream and the two durable consumers" ||
    grep 'Restored\|Recovering' nats2.log
kill -CONT $ppids
for p in $ppids; do
	ends_within "$p" 300
	[ "$ended" = 0 ] || echo "--emit: exit $ended"
done
for f in web support billing; do grep -v '^  \|^emit\|: stats$' "e-$f.err"; done
k=0
for p in $cpids; do
	ends_within "$p" 300
	[ "$ended" -le 1 ] || echo "--consume $k: exit $ended"
	# Whether a consumer's fetch failed or only timed out while the
	# server was away is a matter of timing: the word of it is left out.
	grep -v 'trying again every second until a server answers' "c$k.err"
	k=$((k + 1))
done
n=$(tool events "$Q" cxwatch)
[ "$n" = "$all" ] && echo "every event stored once" ||
    echo "$n events stored, not $all"
cat c0.json c1.json | alerts >union
cmp -s local union &&
    echo "union of the two partitions = local run, $(wc -l <local) alerts" ||
    diff local union
