# cxwatch.rules(5), Structured sources, JSON 1-4 and SEMANTICS 1-2: a
# json source reads fields by path in any key order and with any blanks
# JSON allows; only the top-level customer counts (a nested one is a
# decoy); strings are decoded (\u00e9 is the same customer as a raw é,
# surrogate pairs join); a number customer is its text; null, true, an
# object or no customer at all is no customer; dotted paths go into
# objects and, by index, arrays; the last of duplicate keys wins, and a
# path through an earlier one reads nothing; numbers, true and null are
# their text, objects their raw text; a time that is absent or not one
# is a bad time.
cat >j.rules <<'R'
[settings]
window = 1h
threshold = 2

[source pay]
format = json
time = ts
timefmt = iso8601

[rule nested]
source = pay
if = data.object.outcome.type == issuer_declined
if = items.1.code == sku_2

[rule raw]
source = pay
if = meta ~ ^\{"k": \[1, 2\]\}$
if = live == true
if = n == 1500
if = none == null

[rule dup]
source = pay
if = a.b == 1

[rule any]
source = pay
if = event ~ .
R
T=2026-11-21T10:00:00Z
cat >in.log <<L
{ "event" : "e", "customer":"C1" ,	"ts":"$T" }
{"data":{"customer":"C9"},"customer":"C1","ts":"$T","event":"e"}
{"customer":"Ren\u00e9","ts":"$T","event":"e"}
{"customer":"René","ts":"$T","event":"e"}
{"customer":"\ud83d\ude00x","ts":"$T","event":"e"}
{"customer":12345,"ts":"$T","event":"e"}
{"customer":null,"ts":"$T","event":"e"}
{"customer":true,"ts":"$T","event":"e"}
{"customer":{"id":"C1"},"ts":"$T","event":"e"}
{"ts":"$T","event":"e"}
{"customer":"C2","ts":"$T","event":"e","data":{"object":{"outcome":{"type":"issuer_declined"}}},"items":[{"code":"sku_1"},{"code":"sku_2"}]}
{"customer":"C2","ts":"$T","event":"e","data":{"object":{"outcome":{"type":"issuer_declined"}}},"items":[{"code":"sku_2"}]}
{"customer":"C3","customer":"C4","ts":"$T","event":"e"}
{"customer":"C5","ts":"$T","a":{"b":1},"a":2,"event":"e"}
{"customer":"C6","ts":"$T","a":2,"a":{"b":1},"event":"e"}
{"customer":"C7","ts":"$T","meta":{"k": [1, 2]},"live":true,"n":1.5e3,"none":null}
{"customer":"C7","ts":"$T","meta":{"k":[1,2]},"live":true,"n":1.5e3,"none":null}
{"customer":"C8","ts":"2026-11-21T11:00:00+01:00","event":"e"}
{"customer":"C8","event":"e"}
{"customer":"C8","ts":1234,"event":"e"}
L
"$CXWATCH" -r j.rules -x -s in.log 2>stats
echo "exit $?"
grep -E '^  (lines (source|no customer|bad time|unparsable)|events rule)' \
    stats
