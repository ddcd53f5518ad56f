#!/bin/sh
# Make the seed corpora of the fuzz targets from what the tree ships:
#   seeds.sh OUTDIR CXWATCH
# OUTDIR/rules: each rules/*.rules, all of them as one, tests/data/e2e.rules
# OUTDIR/lines: option byte 0x00 (or another) + pieces of the sample logs,
#               plain and gzip
# OUTDIR/gzread: tests/data/gzip/*, gzip of sample pieces, two members
# OUTDIR/state: state files CXWATCH --state saves on pieces of the samples
# OUTDIR/json: single lines: billing samples, Stripe-like and real
#              payloads (tests/data/json), Docker-wrapped ones, and the
#              lines of tests/bench/jsonbench-verdicts.txt
# Nothing is written outside OUTDIR.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1 cx=$2
s=$top/tests/data/sample
rm -rf "$out"
mkdir -p "$out/rules" "$out/lines" "$out/gzread" "$out/state" "$out/json"

for f in "$top"/rules/*.rules; do cp "$f" "$out/rules/"; done
cat "$top"/rules/*.rules >"$out/rules/all"
cp "$top/tests/data/e2e.rules" "$out/rules/e2e"

# A piece: lines $2..$3 of sample log $1.
piece() { sed -n "$2,$3p" "$s/$1.log"; }
opt() { printf "\\$(printf '%03o' "$1")"; }
for log in web support billing; do
	for start in 1 150 300; do
		{ opt 0; piece $log $start $((start + 30)); } >"$out/lines/$log-$start"
	done
done
# The three logs' first lines together; with -x, evidence 40, cooldown 0,
# two customers at most, max-line 80, forced sources; gzip.
{ piece web 1 20; piece support 1 20; piece billing 1 20; } >"$out/mix"
for o in 0 1 6 44 8 16 64 128 192; do
	{ opt $o; cat "$out/mix"; } >"$out/lines/mix-$o"
done
{ opt 0; gzip -c "$out/mix"; } >"$out/lines/mix-gz"
{ opt 0; cat "$s/planted.txt"; } >"$out/lines/planted"

# One line a file, without its newline: $1 the name's prefix.
lines() {
	n=0
	while IFS= read -r l; do
		n=$((n + 1))
		printf '%s' "$l" >"$out/json/$1-$n"
	done
}
piece billing 1 8 | lines billing
cat "$top"/tests/data/json/*.jsonl | lines payload
sed -n 's/^[+-] //p' "$top/tests/bench/jsonbench-verdicts.txt" | lines verdict
printf '%s' '{"log":"{\"customer\":\"C1\",\"event\":\"caf\\u00e9\"}\n","stream":"stdout"}' \
    >"$out/json/docker"
printf '%s' '{"type":"charge.failed","data":{"object":{"customer":"cus_1","outcome":{"type":"issuer_declined"}}},"items":[{"code":"A"},2],"a":{"b":{"c":null}},"a":1}' \
    >"$out/json/nested"
# Nested 64 deep (the limit) and 65 deep, in a path and out of one.
deep() { i=0; while [ $i -lt "$1" ]; do printf "$2"; i=$((i + 1)); done; }
{ printf '{"a":'; deep 62 '['; printf '{"b":1}'; deep 62 ']'; printf '}'; } \
    >"$out/json/deep-64"
{ printf '{"a":'; deep 63 '['; printf '{"b":1}'; deep 63 ']'; printf '}'; } \
    >"$out/json/deep-65"
{ deep 63 '{"a":'; printf '1'; deep 63 '}'; } >"$out/json/deep-path"

cp "$top"/tests/data/gzip/* "$out/gzread/"
gzip -c "$out/mix" >"$out/gzread/mix.gz"
{ gzip -c "$out/mix"; printf 'abc\n' | gzip -c; } >"$out/gzread/two.gz"
{ gzip -c "$out/mix"; printf '\0\0\0'; } >"$out/gzread/zeros.gz"
piece web 1 40 >"$out/gzread/plain"
rm -f "$out/mix"

# State files: cxwatch's own, from pieces of the day, with evidence
# 0, 2 and 5 and low thresholds so windows hold events.
i=0
for e in 0 2 5; do
	i=$((i + 1))
	f=$out/state/s$i
	piece web 1 80 >"$out/w"
	piece support 1 40 >"$out/s"
	"$cx" -r "$top/rules" -q -e $e -T 1000 -w 1d --state "$f" \
	    "$out/w" "$out/s" || [ $? -eq 1 ]
done
"$cx" -r "$top/tests/data/e2e.rules" -q -T 1000 --state "$out/state/e2e" \
    "$out/w" "$out/s" || [ $? -eq 1 ]
rm -f "$out/w" "$out/s"
chmod -R u+w "$out"
