#!/bin/sh
# jsonbench.sh: build tests/bench/jsonbench.c once per JSON library and
# run each on four sets of billing-shaped lines (README.md, Speed: the
# evidence for the choice of library). Not run by make bench.
#
#	sh tests/bench/jsonbench.sh [rounds]
#
# Needs make all tests/bench/gen first, python3, and the libraries'
# -dev packages (libjsmn-dev libjson-c-dev libfastjson-dev libjansson-dev
# libcjson-dev libyajl-dev libjsonparser-dev; a library that is not
# installed is left out). The sets, made once in build/jsonbench:
#   billing   200,000 lines of tests/bench/gen's billing.log (-n 2000000)
#   shuffled  the same with their keys in a random order and
#             "level":"info" put among them
#   nested    Stripe-like events made from the same lines
#             ({"type":"charge.failed",...,"data":{"object":{"customer":
#             ...,"outcome":{...}}}}), read at data.object.customer
#   stripe    the 176 objects of Stripe's fixtures3 (../shared/data/
#             billing/stripe/fixtures3-resources.jsonl) 200 times over,
#             read at id, object, customer (skipped without ../shared)
# First the verdicts (jsonbench -v): which lines of
# tests/bench/jsonbench-verdicts.txt each library takes or refuses
# wrongly. Then, per set, the columns: lib lines bytes MB/s ns/line found refused checksum
# instr/line. MB/s and ns/line are the best of the rounds, on CPU 0
# (taskset); the checksum is of the values found: equal across libraries
# on one set means they read the same values. instr/line is callgrind's
# count of instructions in the per-line function (parse, look up, copy
# out) over the set's first 10,000 lines (JB_NOCG=1 skips it).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-5}
b=$top/build/jsonbench
shared=${SHARED:-$top/../shared}
mkdir -p "$b"
cd "$top"

if [ ! -s "$b/billing" ]; then
	tests/bench/gen -n 2000000 -s 1 "$b/day" >/dev/null
	head -n 200000 "$b/day/billing.log" >"$b/billing"
	rm -rf "$b/day"
	python3 - "$b" <<'EOF'
import json, random, sys
b = sys.argv[1]
rnd = random.Random(1)
sh = open(b + "/shuffled", "w")
ne = open(b + "/nested", "w")
for line in open(b + "/billing"):
    o = json.loads(line)
    items = list(o.items())
    rnd.shuffle(items)
    items.insert(rnd.randrange(len(items) + 1), ("level", "info"))
    sh.write(json.dumps(dict(items), separators=(",", ":")) + "\n")
    failed = o["event"] == "payment.failed"
    ev = {
        "id": "evt_" + o.get("payment", o.get("charge", "x"))[4:],
        "object": "event", "api_version": "2024-06-20",
        "created": 1795132800 + rnd.randrange(86400),
        "type": "charge.failed" if failed else "charge.succeeded",
        "livemode": False,
        "data": {"object": {
            "id": "ch_" + o.get("payment", "x")[4:], "object": "charge",
            "amount": o.get("amount", 0),
            "currency": o.get("currency", "EUR").lower(),
            "customer": "cus_" + o["customer"],
            "outcome": {
                "network_status": "declined_by_network" if failed
                    else "approved_by_network",
                "reason": o.get("decline_code"), "risk_level": "normal",
                "type": "issuer_declined" if failed else "authorized"},
            "paid": not failed,
            "status": "failed" if failed else "succeeded"}},
        "request": {"id": None, "idempotency_key": None}}
    ne.write(json.dumps(ev, separators=(",", ":")) + "\n")
EOF
fi
if [ ! -s "$b/stripe" ] &&
    [ -f "$shared/data/billing/stripe/fixtures3-resources.jsonl" ]; then
	i=0
	while [ $i -lt 200 ]; do
		cat "$shared/data/billing/stripe/fixtures3-resources.jsonl"
		i=$((i + 1))
	done >"$b/stripe"
fi

# name, -D flag, pkg-config module or libs
libs="jsmn:JB_JSMN:
json-c:JB_JSONC:json-c
fastjson:JB_FASTJSON:libfastjson
jansson:JB_JANSSON:jansson
cJSON:JB_CJSON:libcjson
yajl:JB_YAJL:yajl
json-parser:JB_JSONPARSER:json-parser
jsonl:JB_JSONL:"
echo "$libs" | while IFS=: read -r name def pc; do
	src=tests/bench/jsonbench.c extra=
	if [ "$def" = JB_JSONL ]; then
		[ -f src/jsonl.c ] || continue
		extra="-Iinclude src/jsonl.c src/xmalloc.c"
	elif [ "$def" = JB_JSMN ]; then
		[ -f /usr/include/jsmn.h ] || { echo "$name: not installed" >&2; continue; }
	else
		pkg-config --exists "$pc" || { echo "$name: not installed" >&2; continue; }
		extra=$(pkg-config --cflags --libs "$pc")
	fi
	# shellcheck disable=SC2086
	cc -std=c11 -D_DEFAULT_SOURCE -O2 -D$def -o "$b/jb-$name" $src $extra
done
printf '%-11s %8s %10s %8s %8s %8s %6s %-16s %s\n' lib lines bytes MB/s \
    ns/line found refused checksum instr/line
# Instructions per line: callgrind, counting inside jb_line only, over
# one pass of the set's first 10,000 lines (JB_NOCG=1: not counted).
instr() {
	[ -z "${JB_NOCG:-}" ] && command -v valgrind >/dev/null || {
		echo -; return; }
	bin=$1 set=$2; shift 2
	head -n 10000 "$b/$set" >"$b/cg-in"
	n=$(wc -l <"$b/cg-in")
	valgrind --tool=callgrind --toggle-collect=jb_line \
	    --callgrind-out-file="$b/cg-out" "$bin" -r 0 "$b/cg-in" "$@" \
	    >/dev/null 2>"$b/cg-log"
	sed -n 's/.*Collected : *//p' "$b/cg-log" | awk -v n="$n" \
	    '{ printf "%.0f\n", $1 / n }'
}
run() {
	set=$1; shift
	[ -s "$b/$set" ] || { echo "== $set: no data (../shared absent)"; return 0; }
	echo "== $set: $*"
	for bin in "$b"/jb-*; do
		out=$(taskset -c 0 "$bin" -r "$rounds" "$b/$set" "$@" 2>/dev/null ||
		    "$bin" -r "$rounds" "$b/$set" "$@")
		echo "$out $(instr "$bin" "$set" "$@")"
	done
}
echo "== verdicts: tests/bench/jsonbench-verdicts.txt"
for bin in "$b"/jb-*; do
	"$bin" -v tests/bench/jsonbench-verdicts.txt
done
run billing ts event customer
run shuffled ts event customer
run nested created type data.object.customer
run stripe id object customer
