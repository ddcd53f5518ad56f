# The match stage (--emit) on three producers, one per log, and the detect
# stage (--consume) on each of P partitions, against a real nats-server
# with JetStream on loopback: the union of the partitions' alerts is the
# alerts of one local run over the three files -- the sample day with
# P = 2 and 4, a generated day (tests/bench/gen) with P = 3. The consumers
# start first and wait for the producers' final watermarks (--producers
# 3); the producers run at once. Without --producers a consumer runs
# until SIGTERM. A producer run again publishes no event twice: its
# message ids are deduplicated. nats-server's partition() mapping puts
# every customer in the partition --emit chose.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 5 -n 40000 day >/dev/null || exit 1
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
# In the background, "$CXWATCH" itself: $! is then its pid, not a
# subshell's, for kill and ends_within.
. "$TOP/tests/e2e/nats-lib.sh"
# The events stream $1 holds: the stored messages of its subjects $1.ev.*,
# asked of JetStream's API in NATS' own text protocol.
events() {
	python3 -c 'import json, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rb")
f.readline()
req = json.dumps({"subjects_filter": sys.argv[2] + ".ev.*"}).encode()
s.sendall(b"CONNECT {\"verbose\":false}\r\nSUB in 1\r\n" +
    b"PUB $JS.API.STREAM.INFO." + sys.argv[2].encode() + b" in " +
    str(len(req)).encode() + b"\r\n" + req + b"\r\n")
while True:
    w = f.readline().split()
    if w[0] == b"PING":
        s.sendall(b"PONG\r\n")
    elif w[0] == b"MSG":
        r = json.loads(f.read(int(w[-1])))
        break
print(sum(r["state"].get("subjects", {}).values()))' "$P" "$1"
}
alerts() { jq -S -c 'select(.type == null)' | sort; }
# union NAME P DIR: the day in DIR through stream NAME and P partitions.
union() {
	cx -o json "$3/web.log" "$3/support.log" "$3/billing.log" |
	    alerts >local
	k=0 pids=
	while [ "$k" -lt "$2" ]; do
		"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" \
		    --emit-subject "$1" --partitions "$2" --partition "$k" \
		    --producers 3 >"c$k.json" 2>"c$k.err" &
		pids="$pids $!"
		k=$((k + 1))
	done
	for f in web support billing; do
		"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject "$1" \
		    --partitions "$2" --producer "$f" "$3/$f.log" \
		    2>"e-$f.err" &
		eval "e_$f=\$!"
	done
	for f in web support billing; do
		eval "wait \$e_$f" || echo "--emit $f: exit $? $(cat "e-$f.err")"
	done
	k=0
	for p in $pids; do
		ends_within "$p" 300
		[ "$ended" -le 1 ] || echo "--consume $k: exit $ended"
		cat "c$k.err"
		k=$((k + 1))
	done
	for k in $(seq 0 $(($2 - 1))); do alerts <"c$k.json" >"$1.$k"; done
	sort -m "$1".* >union
	per=$(for k in $(seq 0 $(($2 - 1))); do wc -l <"$1.$k"; done |
	    tr '\n' ' ')
	cmp -s local union &&
	    echo "$1: union of $2 = local run, $(wc -l <local) alerts;" \
	    "per partition: $per" || diff local union
	# Each customer's alerts come from one partition only.
	for k in $(seq 0 $(($2 - 1))); do
		jq -r .customer "$1.$k" | sort -u
	done | sort | uniq -d | sed 's/^/in two partitions: /'
	rm -f c*.json c*.err
}
S=$TOP/tests/data/sample
union sample2 2 "$S"
union sample4 4 "$S"
union day3 3 day
# Without --producers a consumer runs until SIGTERM, and then applies
# what it holds: once the server has nothing left for it, its alerts are
# its partition's all the same.
for f in web support billing; do
	cx --emit "$U" --emit-subject stop --partitions 2 --producer "$f" \
	    "$S/$f.log"
done
"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --emit-subject stop \
    --partitions 2 --partition 1 >c1.json &
cpid=$!
wait_for 100 '[ "$(waiting stop-1 2>/dev/null)" = 0 ]' ||
    echo "the consumer did not take its messages"
kill -TERM "$cpid"
ends_within "$cpid" 100
alerts <c1.json >stop.1
cmp -s sample2.1 stop.1 &&
    echo "stopped: exit $ended; partition 1's $(wc -l <stop.1) alerts" ||
    diff sample2.1 stop.1
n=$(events sample2)
cx --emit "$U" --emit-subject sample2 --partitions 2 --producer web "$S/web.log"
echo "web again: exit $?; events stored: $n, then $(events sample2)"
cx --emit "$U" --emit-subject sample2 --partitions 2 --producer web2 \
    "$S/web.log"
echo "web as another producer: exit $?; events stored: $(events sample2)"
# mapped N CUSTOMER...: "CUSTOMER PARTITION" as the server maps mapN.*.
mapped() {
	python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rb")
f.readline()
out = b"CONNECT {\"verbose\":false}\r\nSUB mapped.> 1\r\n"
for c in sys.argv[3:]:
    out += b"PUB map" + sys.argv[2].encode() + b"." + c.encode() + b" 0\r\n\r\n"
s.sendall(out + b"PING\r\n")
while True:
    w = f.readline().split()
    if w[0] == b"PONG":
        break
    if w[0] == b"MSG":
        f.read(int(w[-1]) + 2)
        t = w[1].decode().split(".")
        print(t[3], t[2])' "$P" "$@" | sort
}
# customers NAME N: "CUSTOMER PARTITION" of the alerts of union NAME N.
customers() {
	for k in $(seq 0 $(($2 - 1))); do
		jq -r --arg k "$k" '.customer + " " + $k' "$1.$k"
	done | sort -u
}
customers sample4 4 >want4
customers day3 3 >want3
mapped 4 $(cut -d ' ' -f 1 want4) | cmp -s - want4 &&
    echo "P=4: nats-server maps the $(wc -l <want4) customers alike"
mapped 3 $(cut -d ' ' -f 1 want3) | cmp -s - want3 &&
    echo "P=3: nats-server maps the $(wc -l <want3) customers alike"
# What goes wrong is said.
cx --emit "$U" --emit-subject a.b "$S/web.log"; st
cx --consume "$U" --partitions 2 --partition 2; st
cx --consume "$U" "$S/web.log"; st
cx --emit "$U" --consume "$U"; st
cx --partitions 3 "$S/web.log" >/dev/null; st
