# Checkpoints, the lease and --standby, against a real nats-server: three
# live producers (--emit -f) are fed a generated day in ten steps, P = 2.
# Partition 1's first worker is stopped (SIGTERM) after step 3: it saves
# its checkpoint and gives up its lease. A second worker goes on from
# that checkpoint with --checkpoint-every 1h, so that it saves none, and
# is killed (SIGKILL) after step 6, having written alerts; a standby,
# waiting for the lease since, takes over once the lease (2 s) lapses,
# from the first worker's checkpoint, and does not write again the alerts
# the killed worker wrote. The union of all the workers' alerts is the
# alerts of one local run over the three files, none twice.
# A worker run again on a partition that is done goes on from its
# checkpoint and has nothing more to say; --state-reset starts afresh.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 5 -n 40000 day >/dev/null || exit 1
. "$TOP/tests/e2e/nats-lib.sh"
alerts() { jq -S -c 'select(.type == null)' | sort; }
"$CXWATCH" -r "$TOP/rules" -o json day/web.log day/support.log \
    day/billing.log | alerts >local
worker() { exec "$CXWATCH" -r "$TOP/rules" -o json --consume "$U" \
    --emit-subject tk --partitions 2 --producers 3 --lease 2s \
    --checkpoint-every 1s "$@"; }
worker --partition 0 >w0.json 2>w0.err &
w0=$!
worker --partition 1 >w1.json 2>w1.err &
w1=$!
for f in web support billing; do
	: >"$f.log"
	"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject tk \
	    --partitions 2 --producer "$f" -f --from-start "$f.log" \
	    2>"e-$f.err" &
	eval "p_$f=\$!"
done
# feed K: the K-th tenth of each file.
feed() {
	for f in web support billing; do
		n=$(wc -l <"day/$f.log")
		sed -n "$(( (n * ($1 - 1)) / 10 + 1 )),$(( (n * $1) / 10 ))p" \
		    "day/$f.log" >>"$f.log"
	done
}
steps() {
	k=$1
	while [ "$k" -le "$2" ]; do feed "$k"; sleep 0.4; k=$((k + 1)); done
	sleep 1.2
	wait_for 100 '[ "$(waiting tk-1 2>/dev/null)" = 0 ]' ||
	    echo "partition 1's messages were not taken"
	sleep 0.5
}
steps 1 3
kill -TERM "$w1"
ends_within "$w1" 100
echo "worker 1 stopped: exit $ended, $(alerts <w1.json | wc -l |
    sed 's/^0$/no/; s/^[1-9][0-9]*$/some/') alerts written"
worker --partition 1 --checkpoint-every 1h >w1b.json 2>w1b.err &
w1b=$!
wait_for 100 "grep -q 'going on' w1b.err 2>/dev/null" ||
    echo "worker 1b did not start from the checkpoint"
worker --partition 1 --standby >s1.json 2>s1.err &
s1=$!
wait_for 100 "grep -q standby s1.err 2>/dev/null" || echo "no standby"
steps 4 6
kill -KILL "$w1b"
ends_within "$w1b" 30 2>/dev/null
echo "worker 1b killed: $(alerts <w1b.json | wc -l | sed 's/^0$/no/;
    s/^[1-9][0-9]*$/some/') alerts written"
steps 7 10
wait_for 100 "grep -q 'going on' s1.err" || echo "the standby did not take over"
for f in web support billing; do kill -TERM "$(eval echo "\$p_$f")"; done
for f in web support billing; do
	ends_within "$(eval echo "\$p_$f")" 100
	[ "$ended" = 0 ] || echo "producer $f: exit $ended $(cat "e-$f.err")"
done
ends_within "$w0" 200
echo "worker 0: exit $ended"
ends_within "$s1" 200
echo "standby: exit $ended"
cat w0.err w1.err
sed 's/sequence [0-9]*/sequence N/' w1b.err
sed 's/held by [^:]*:[0-9]*:/held by HOST:PID:/; s/sequence [0-9]*/sequence N/
    s/; [1-9][0-9]* alerts\{0,1\} written/; SOME alerts written/' s1.err
cat w0.json w1.json w1b.json s1.json | alerts >union
cmp -s local union && echo "union = local run, $(wc -l <local) alerts" ||
    echo "union: $(diff local union | grep -c '^<') missing," \
    "$(diff local union | grep -c '^>') more"
uniq -d union | sed 's/^/twice: /'
# Done: run again, it goes on from its checkpoint and has nothing to add.
(worker --partition 0) >again.json 2>again.err
echo "again: exit $?, $(alerts <again.json | wc -l) alerts"
sed 's/sequence [0-9]*/sequence N/' again.err
(worker --partition 0 --state-reset) >reset.json 2>reset.err
alerts <reset.json >reset
alerts <w0.json | cmp -s - reset &&
    echo "--state-reset: partition 0's $(wc -l <reset) alerts again" ||
    echo "--state-reset: $(wc -l <reset) alerts, not partition 0's"
cat reset.err
# A checkpoint comes from the server: one that is not one is refused,
# saying what to do. put KEY VALUE: a value into bucket tk-ckpt.
put() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rb")
f.readline()
v = sys.argv[3].encode()
s.sendall(b"CONNECT {\"verbose\":false}\r\nPUB $KV.tk-ckpt." +
    sys.argv[2].encode() + b" " + str(len(v)).encode() + b"\r\n" + v +
    b"\r\nPING\r\n")
while not f.readline().startswith(b"PONG"):
    pass' "$P" "$@"
}
crc() { python3 -c 'import sys, zlib; print(zlib.crc32(sys.argv[1].encode()))' "$1"; }
put p0 "hello"
(worker --partition 0) >/dev/null 2>bad.err; echo "manifest: exit $?"
cat bad.err
put p0.g9.0 "cxwatch-checkpoint 1
alerts x"
put p0 "9 1 29 $(crc 'cxwatch-checkpoint 1
alerts x')"
(worker --partition 0) >/dev/null 2>bad.err; echo "not one: exit $?"
cat bad.err
put p0 "9 1 29 1234"
(worker --partition 0) >/dev/null 2>bad.err; echo "crc: exit $?"
cat bad.err
put p0 "999 1 29 1234"
(worker --partition 0) >/dev/null 2>bad.err; echo "chunk missing: exit $?"
cat bad.err
(worker --partition 0 --state-reset) >/dev/null 2>bad.err
echo "--state-reset: exit $?"
cat bad.err
