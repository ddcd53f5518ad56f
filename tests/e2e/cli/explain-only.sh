# --explain-only (cxwatch(1)): -x for some kinds of line only. The kinds
# part the lines: their counts add up to -x's, and each line shown is of
# its kind; the "=>" lines of a line not shown go with it, but alerts are
# always shown. Words may be joined by commas or the option repeated; a
# word that is not a kind is refused.
. "$TOP/tests/e2e/lib.sh"
S=$TOP/tests/data/sample
printf 'not a log line\nnor this\n' >junk
x() { "$CXWATCH" -r "$TOP/rules" "$@" "$S/web.log" "$S/support.log" \
    "$S/billing.log" junk; }
n() { grep -c '^[^ ]*:[0-9]*:' || true; }
all=$(x -x | n)
ev=$(x --explain-only event | n)
nr=$(x --explain-only norule | n)
un=$(x --explain-only unclaimed | n)
ig=$(x --explain-only ignored | n)
echo "lines $all: event $ev, norule $nr, unclaimed $un, ignored $ig"
[ $((ev + nr + un + ig)) -eq "$all" ] && echo "the kinds add up"
x --explain-only event | grep '^[^ ]*:[0-9]*:' | grep -vc ' rule='
x --explain-only norule | grep '^[^ ]*:[0-9]*:' | grep -vc ' no rule'
x --explain-only unclaimed | grep '^[^ ]*:[0-9]*:' | grep -vc ' unmatched'
x --explain-only ignored | grep '^[^ ]*:[0-9]*:' |
    grep -v -e ' ignored: ' -e ' bad time' -e ' unparsable' | wc -l
[ "$(x --explain-only event,ignored | n)" -eq $((ev + ig)) ] &&
    echo "event,ignored: both"
[ "$(x --explain-only event --explain-only ignored | n)" -eq $((ev + ig)) ] &&
    echo "repeated: both"
echo "alerts with norule only: $(x --explain-only norule | grep -c '=> .* ALERT ')"
echo "alerts with -x: $(x -x | grep -c '=> .* ALERT ')"
x --explain-only norule | grep -c '=> late\|=> forgiven'
"$CXWATCH" --explain-only events; st
# -x -s: the counters, then the first lines of each kind, and of each rule.
x -x -s 2>&1 >/dev/null | sed -n '/examples/,/customers tracked/p' |
    sed "s|$S/||g" | head -8
# --try-source and --try-rule: a pattern and a rule tried without a rules
# file; what -x, --explain-only and -s make of them, and their mistakes.
rx='^(?<ip>\S+) \S+ (?<customer>\S+) \[(?<time>[^]]+)\] "(?<method>\S+) (?<path>\S+)[^"]*" (?<status>\d+)'
"$CXWATCH" --try-source "$rx" --try-rule 'status >= 500' \
    --try-rule 'path ~ ^/checkout' --explain-only event "$S/web.log" |
    sed "s|$S/||" | head -2
"$CXWATCH" --try-source "$rx" --explain-only event "$S/web.log" | n
"$CXWATCH" --try-source "$rx" --try-rule 'status >= 500' -s -q \
    "$S/web.log" 2>&1 | grep -e 'events rule try' -e 'lines source try'
"$CXWATCH" --try-source '(' "$S/web.log"; st
"$CXWATCH" --try-source '^(?<x>\S+)' "$S/web.log"; st
"$CXWATCH" --try-source "$rx" --try-rule 'status >>= 3' "$S/web.log"; st
"$CXWATCH" -r "$TOP/rules" --try-source "$rx" "$S/web.log"; st
"$CXWATCH" --try-rule 'a == b' "$S/web.log"; st
