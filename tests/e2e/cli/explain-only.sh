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
