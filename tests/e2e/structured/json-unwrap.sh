# cxwatch.rules(5), [source] unwrap and Structured sources, JSON 5: with
# unwrap = log, the object in the field log (a string, as Docker and
# Kubernetes write it, or an object) is read as the line: every path is
# looked up in it, the outer keys are not. A line without the field, or
# with another kind of value in it, is unparsable; so is a string that is
# not one JSON object, and -x gives both offsets: where the field's value
# starts in the line and where the inner text fails.
cat >k.rules <<'R'
[source k8s]
format = json
unwrap = log
time = ts
timefmt = iso8601

[rule failed]
source = k8s
if = event == payment.failed
R
T=2026-11-21T10:00:00Z
cat >in.log <<L
{"log":"{\"ts\":\"$T\",\"event\":\"payment.failed\",\"customer\":\"C1\"}\n","stream":"stdout","time":"2026-11-21T10:00:00.1Z"}
{"stream":"stdout","log":{"customer":"C\u0031","event":"payment.failed","ts":"$T"}}
{"customer":"C2","ts":"$T","event":"payment.failed","log":"{\"customer\":\"C3\",\"ts\":\"$T\",\"event\":\"payment.failed\"}"}
{"customer":"C2","ts":"$T","event":"payment.failed"}
{"log":42}
{"log":"plain text, not JSON"}
{"log":"{\"customer\":\"C1\",\"event\":\"x\\\\q\"}"}
L
"$CXWATCH" -r k.rules -x -s in.log 2>stats
echo "exit $?"
grep -E '^  (lines unparsable|events rule)' stats
