# cxwatch.rules(5), [source] match in a json source, SEMANTICS 1: two
# json sources in one stream, told apart by a match on the raw line
# before any parsing; a line neither match fits is unmatched, not
# unparsable, even when it is not JSON; the first source whose match fits
# claims the line, even when it then cannot read it.
cat >m.rules <<'R'
[settings]
threshold = 100

[source charges]
format = json
match = "type":"charge\.
time = created
timefmt = epoch
customer = data.customer

[source tickets]
format = json
match = "type":"ticket\.
time = at
timefmt = iso8601

[rule charge-failed]
source = charges
if = type == charge.failed

[rule ticket-reopened]
source = tickets
if = type == ticket.reopened
R
cat >in.log <<'L'
{"type":"charge.failed","created":1795255200,"data":{"customer":"C1"}}
{"type":"ticket.reopened","at":"2026-11-21T10:00:00Z","customer":"C2"}
{"type":"payout.paid","created":1795255200,"customer":"C3"}
not JSON at all "type":"charge.x"
{"type":"ticket.reopened","at":"2026-11-21T10:00:00Z","customer":"C2"
L
"$CXWATCH" -r m.rules -x -s in.log 2>stats
echo "exit $?"
grep -E '^  (lines (source|unmatched|unparsable)|unparsable source)' stats
