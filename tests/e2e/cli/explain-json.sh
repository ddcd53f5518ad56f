# -x -o json (cxwatch(1)): one JSON object per input line ("type":"line",
# its input, line number, status, source, customer, time, fields, and
# why nothing held), alerts and incidents as the JSON output writes them,
# notes as {"type":"note"}. Everything parses, whatever the bytes; the
# objects say what the text form says.
. "$TOP/tests/e2e/lib.sh"
need_tool jq
S=$TOP/tests/data/sample
printf 'not a log line\n' >junk
x() { "$CXWATCH" -r "$TOP/rules" "$@" "$S/web.log" "$S/support.log" \
    "$S/billing.log" junk; }
x -x -o json >all.json
jq -c . all.json >/dev/null && echo "all of it is JSON"
echo "lines: $(jq -r 'select(.type == "line") | .status' all.json | sort |
    uniq -c | tr -s ' ' | tr '\n' ';')"
echo "text lines: $(x -x | grep -c '^[^ ]*:[0-9]*:')"
echo "alerts: $(jq -r 'select(.type == null) | .customer' all.json | wc -l)," \
    "incidents: $(jq -r 'select(.type == "incident" or .type == "incident_end") | .id' all.json | wc -l)"
# The first event, and the first no-rule line of each source, in full.
jq -c 'select(.type == "line" and .status == "event")' all.json | head -1 |
    sed "s|$S/||"
for s in web support billing; do
	jq -c --arg s "$s" 'select(.type == "line" and .status == "no rule" and
	    .source == $s) | [.input, .line, .customer, (.fields | keys),
	    (.rules | length)]' all.json | head -1 | sed "s|$S/||"
done
jq -c 'select(.type == "line" and .status == "unmatched")' all.json
# --explain-only filters the objects as it does the lines.
x --explain-only ignored -o json | jq -r 'select(.type == "line") | .status' |
    sort | uniq -c
# Hostile bytes stay JSON; a bad time and no customer say why.
printf '2026-11-21T10:00:00Z web C\033[2J /checkout 502\n' >h
printf 'nottime web C2 /checkout 502\n' >>h
printf '2026-11-21T10:00:00Z web  /checkout 502\n' >>h
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -x -o json h | jq -c .
# Notes: a redacted line kept, with a key.
D=$TOP/tests/data/privacy
printf "$(printf '\\%03o' $(seq 0 31))" >key
chmod 600 key
"$CXWATCH" -r "$D/r.rules" --pseudonymize key -x -o json "$D/pay.log" |
    jq -c 'select(.type == "note")'
