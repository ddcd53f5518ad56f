# cxwatch.rules(5), Privacy: [redact] classes and patterns, and the
# customer id under a key, in the evidence lines: its own field (a json
# value as the line escapes it too), inside a URL of its own line, not
# inside a longer id, an id that is an e-mail address; card numbers that
# pass Luhn (blank- or dash-separated, after a status code), not an order
# number; IPv4 with a port, IPv6 bracketed and with a zone, not a MAC or
# a time; bearer tokens, API keys, a session by the site's own pattern.
# Every output has the same redacted lines: text, JSON, -x (which says
# what fired, and shows fields redacted), and -s counts them. Without a
# key only the classes and patterns apply.
. "$TOP/tests/e2e/lib.sh"
need_tool jq
D=$TOP/tests/data/privacy
printf "$(printf '\\%03o' $(seq 0 31))" >key
chmod 600 key
k() { "$CXWATCH" -r "$D/r.rules" --pseudonymize key "$@"; }
k "$D/app.log" "$D/pay.log"; st
k -o json "$D/app.log" "$D/pay.log" | jq -r '.evidence[].line' >json.lines
k "$D/app.log" "$D/pay.log" | sed -n 's/^  //p' >text.lines
cmp json.lines text.lines && echo "json: the same lines"
# The classes' cheap tests skip nothing: --no-prefilter (every class
# searched on every line) gives the same bytes, on one thread and two.
k -o json --threads 1 "$D/app.log" "$D/pay.log" >j1
k -o json --threads 2 --no-prefilter "$D/app.log" "$D/pay.log" | cmp - j1 &&
    k -o json --threads 1 --no-prefilter "$D/app.log" "$D/pay.log" |
    cmp - j1 && echo "--no-prefilter: the same lines"
k -x "$D/app.log" "$D/pay.log" | grep -e '=> kept' -e 'app.log:1:' |
    sed "s|$D/||"
k -s "$D/app.log" "$D/pay.log" 2>&1 >/dev/null | grep -e redact -e '^  events '
# Without a key: classes and patterns, the ids as they are.
"$CXWATCH" -r "$D/r.rules" "$D/app.log" | sed -n '2p'
# -t says what is redacted.
k -t | grep -e '^redact' -e '^pseudonyms' | sed "s|$D/||"
# Mistakes, with file and line.
cat >bad.rules <<'R'
[redact]
classes = email emial
pattern = x
[redact a]
pattern = (x
[redact b]
replace = y
[redact c]
pattern = (a)b
replace = $2
classes = card
[redact]
classes = card
[redact a]
pattern = z
R
cat "$D/r.rules" >ok.rules
sed -i '/^\[redact\]/,$d' ok.rules
"$CXWATCH" -r ok.rules -r bad.rules -t; st
# A pattern that gives up on a line (PCRE2's match limit) hides the rest
# of the line, and says so.
sed '/^\[redact/,$d' "$D/r.rules" >slow.rules
printf '[redact slow]\npattern = (a|aa)+(?=c)\n' >>slow.rules
printf 'ts=2026-11-21T10:00:00Z customer=C9 event=fail note=x%s\n' \
    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa >slow.log
"$CXWATCH" -r slow.rules -x -s slow.log 2>&1 | grep -e 'kept' -e 'redaction'
