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
# OUTDIR/logfmt: single lines: the in lines of tests/data/logfmt-cases.txt
#              (Go string literals, decoded here), support samples, and
#              lines made here for the rules of include/logfmt.h
# Nothing is written outside OUTDIR.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1 cx=$2
s=$top/tests/data/sample
rm -rf "$out"
mkdir -p "$out/rules" "$out/lines" "$out/gzread" "$out/state" "$out/json" \
    "$out/logfmt"

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

# The in lines of the logfmt cases, each one's bytes as printf %b
# escapes (\0ddd), one a line, then printed into a file of its own.
LC_ALL=C awk '
BEGIN {
	for (i = 1; i < 256; i++)
		ord[sprintf("%c", i)] = i
	split("7 8 12 10 13 9 11 34 92", code, " ")
}
function oct(b) { return sprintf("\\0%03o", b) }
function hex(t,    v, k) {
	for (k = 1; k <= length(t); k++)
		v = v * 16 + index("0123456789abcdef",
		    tolower(substr(t, k, 1))) - 1
	return v
}
function utf8(cp) {
	if (cp < 128)
		return oct(cp)
	if (cp < 2048)
		return oct(192 + int(cp / 64)) oct(128 + cp % 64)
	if (cp < 65536)
		return oct(224 + int(cp / 4096)) oct(128 + int(cp / 64) % 64) \
		    oct(128 + cp % 64)
	return oct(240 + int(cp / 262144)) oct(128 + int(cp / 4096) % 64) \
	    oct(128 + int(cp / 64) % 64) oct(128 + cp % 64)
}
/^in "/ {
	s = substr($0, 5)
	out = ""
	for (i = 1; (c = substr(s, i, 1)) != "\""; i++) {
		if (c == "") {
			print "seeds.sh: bad in line: " $0 >"/dev/stderr"
			exit 1
		}
		if (c != "\\") {
			out = out oct(ord[c])
			continue
		}
		c = substr(s, ++i, 1)
		n = c == "x" ? 2 : c == "u" ? 4 : c == "U" ? 8 : 0
		if (n > 0) {
			v = hex(substr(s, i + 1, n))
			out = out (c == "x" ? oct(v) : utf8(v))
			i += n
		} else if ((m = index("abfnrtv\"\\", c)) > 0)
			out = out oct(code[m])
		else {
			print "seeds.sh: bad escape: " $0 >"/dev/stderr"
			exit 1
		}
	}
	if (!seen[out]++)
		print out
}' "$top/tests/data/logfmt-cases.txt" >"$out/logfmt-cases"
n=0
while IFS= read -r l; do
	n=$((n + 1))
	printf '%b' "$l" >"$out/logfmt/case-$n"
done <"$out/logfmt-cases"
rm -f "$out/logfmt-cases"
[ "$n" -gt 0 ] || { echo "seeds.sh: no logfmt cases" >&2; exit 1; }
piece support 1 12 | {
	n=0
	while IFS= read -r l; do
		n=$((n + 1))
		printf '%s' "$l" >"$out/logfmt/support-$n"
	done
}
# A line or two a rule of logfmt.h (1-8), and the sample line of its
# tests; blanks and control bytes.
n=0
while IFS= read -r l; do
	n=$((n + 1))
	printf '%s' "$l" >"$out/logfmt/rule-$n"
done <<'EOF'
ts=2026-11-21T10:00:00Z level=info customer="C 42" event=chat.abandoned wait=419s
2026-11-21 10:15:09 level=info customer=C1 ts=2026-11-21T10:15:09Z
2026-11-21T00:07:43.402Z   ticket   level=warn =x k=a=b v=b"c "k"=1
time=1 ts=2 timestamp=3 cust=C1 customer=C2 customer=C3 customer
k="\"\\\/\'\b\f\n\r\t" j="\u00e9\u20AC\ud83d\ude00\uDBFF\uDFFF"x=1
k="\ud800" j="\u12" q="\x"
a="ok" b="\udc00\ud800" c="open
abcdefgh=1 abcdefghi=2 abcdefghij0123456=3 !=4 a=5 q=6 1=7
EOF
printf 'a=1\tb=2\0c=3\037d="\001\377"\177e=4\r\n' >"$out/logfmt/blanks"

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

# OUTDIR/redact: option byte (id length 7, field span) + id + a line of
# the web sample, and lines with each class of include/redact.h.
mkdir -p "$out/redact"
n=0
piece web 1 12 | while IFS= read -r l; do
	n=$((n + 1))
	{ printf '\047C000150'; printf '%s' "$l"; } >"$out/redact/web-$n"
done
printf '\000mail alice@example.com u=bob%%40x.org 10.0.0.1:80 [fe80::1%%eth0]:443 4111 1111 1111 1111' \
    >"$out/redact/classes"
printf '\000Authorization: Bearer eyJa.eyJb.c password=x sk_live_0123456789 AKIAIOSFODNN7EXAMPLE' \
    >"$out/redact/tokens"
printf '\002C1GET /account/C1/orders C12 acct=C1 9kv' >"$out/redact/id"
