# Sourced by the distributed/* cases after lib.sh: a nats-server with
# JetStream in ./js on a free loopback port, stopped when the case exits.
# Sets P (its client port), U (its URL) and M (its monitor's URL);
# waiting DURABLE prints how many messages that durable consumer has not
# had acknowledged yet (pending and in flight), or "none". The
# server also maps subjects map4.* and map3.* as partition() does, for
# distributed/union to compare with --emit's partitions.
NATS=/usr/sbin/nats-server
need_tool "$NATS" jq python3
cat >nats.conf <<'EOF'
mappings = {
	"map4.*": "mapped.4.{{partition(4,1)}}.{{wildcard(1)}}"
	"map3.*": "mapped.3.{{partition(3,1)}}.{{wildcard(1)}}"
}
EOF
# -p -1: any free port, which the log then names.
"$NATS" -c nats.conf -js -sd js -a 127.0.0.1 -p -1 -m -1 -l nats.log &
npid=$!
trap 'kill "$npid"; wait "$npid"' EXIT
wait_for 100 "grep -q 'Server is ready' nats.log 2>/dev/null" ||
    { echo "nats-server did not start"; cat nats.log; exit 1; }
port() { sed -n "s/.*$1 on 127.0.0.1:\([0-9]*\).*/\1/p" nats.log; }
P=$(port 'Listening for client connections')
U=nats://127.0.0.1:$P
M=http://127.0.0.1:$(port 'Starting http monitor')

waiting() {
	python3 -c 'import json, sys, urllib.request
j = json.load(urllib.request.urlopen(sys.argv[1] +
    "/jsz?consumers=true"))
n = [c["num_pending"] + c["num_ack_pending"]
    for a in j.get("account_details", []) for s in a.get("stream_detail", [])
    for c in s.get("consumer_detail", []) if c["name"] == sys.argv[2]]
print(n[0] if n else "none")' "$M" "$1"
}
