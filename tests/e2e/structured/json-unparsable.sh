# cxwatch.rules(5), Structured sources, JSON 1, and SEMANTICS 1-2: a line
# a json source claims (its first non-blank byte is {) but cannot read as
# exactly one JSON object is counted unparsable for the source, and -x
# gives the byte (from 0) and why: a truncated object, bytes after it,
# two objects, a bad escape, lone surrogates, a short \u, a leading zero,
# a bare key, a trailing comma, a control byte, invalid UTF-8 (a bad
# byte, an overlong form, a surrogate in UTF-8); objects and arrays 64
# deep are read, 65 deep are not. A line that does not start with { is
# not claimed (unmatched); one longer than --max-line is too long and
# never parsed.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
cat >u.rules <<'R'
[source pay]
format = json
time = ts
timefmt = iso8601

[rule any]
source = pay
if = event ~ .
R
T=2026-11-21T10:00:00Z
nest() { python3 -c 'import sys; n = int(sys.argv[1]); print("{\"customer\":\"C1\",\"ts\":\"'$T'\",\"event\":\"e\",\"x\":" + "[" * n + "]" * n + "}")' "$1"; }
{
	echo '[1,2]'
	printf '%s\n' '{"customer":"C1","ts":"'$T'"' '{"customer":"C1"} x' \
	    '{"customer":"C1"}{"a":1}' '{"customer":"C\q"}' \
	    '{"customer":"\ud800"}' '{"customer":"\udc00x"}' \
	    '{"customer":"\u12"}' '{"customer":01}' '{customer:"C1"}' \
	    '{"customer":"C1",}'
	printf '{"customer":"C\001"}\n{"customer":"C\377"}\n'
	printf '{"customer":"\300\200"}\n{"customer":"\355\240\200"}\n'
	nest 63
	nest 64
	printf ' \t{"customer":"C2","ts":"%s","event":"e"}\r\n' "$T"
	python3 -c 'print("{\"customer\":\"C1\",\"ts\":\"'$T'\",\"event\":\"e\",\"pad\":\"" + "a" * 200 + "\"}")'
} >bad.log
"$CXWATCH" -r u.rules --max-line 200 -x -s bad.log 2>stats
echo "exit $?"
grep -E '^  (lines (source|unmatched|too long|unparsable)|unparsable source)' \
    stats
