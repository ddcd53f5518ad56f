# cxwatch.rules(5), Structured sources, logfmt 1-5 and SEMANTICS 1-2: a
# logfmt source claims a line holding "customer=" at its start or after
# a blank (not in xcustomer=); reads keys in any order, bare or quoted
# values with their escapes (a quoted customer "C 42" is one customer), a
# bare key as present and empty, the last of repeated keys; takes the
# time from ts= or, without it, from the leading words (one word or a
# date and a time); refuses only an unclosed quote, an unknown escape, a
# short \u or a lone surrogate, with the byte in -x.
cat >s.rules <<'R'
[settings]
window = 1h
threshold = 2

[source support]
format = logfmt
time = ts
timefmt = iso8601

[rule abandoned]
source = support
if = event == chat.abandoned

[rule flagged]
source = support
if = vip == 
if = note ~ ^say "hi"\\ ok$
R
cat >in.log <<'L'
2026-11-21T10:00:00Z level=warn event=chat.abandoned customer=C1
event="chat.abandoned" customer="C 42" ts="2026-11-21T10:01:00Z"
customer="C 42" ts=2026-11-21T10:02:00Z event=chat.abandoned level=warn
2026-11-21 10:03:00 customer=C1 event=ticket.created event=chat.abandoned
2026-11-21T09:00:00Z customer=C1 ts=2026-11-21T10:04:00Z event=chat.abandoned
2026-11-21T10:05:00Z customer=C2 vip note="say \"hi\"\\ ok"
2026-11-21T10:05:00Z xcustomer=C3 event=chat.abandoned
2026-11-21T10:05:00Z msg="x customer=C4" event=chat.abandoned
2026-11-21T10:06:00Z customer=C5 event=chat.abandoned msg="unclosed
2026-11-21T10:06:00Z customer=C5 msg="\q"
2026-11-21T10:06:00Z customer=C5 msg="\u12"
2026-11-21T10:06:00Z customer=C5 msg="\udc00"
2026-11-21T10:06:00Z customer= event=chat.abandoned
2026-11-21T10:06:00Z customer event=chat.abandoned
L
"$CXWATCH" -r s.rules -x -s in.log 2>stats
echo "exit $?"
grep -E '^  (lines (unmatched|unparsable|no customer|bad time)|events rule)' \
    stats
