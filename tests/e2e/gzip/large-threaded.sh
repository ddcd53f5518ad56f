# Large gzip inputs are inflated by a thread a few blocks ahead of the
# matcher: the alerts are byte for byte those of the plain files, damage
# is still reported with its offset after the lines before it, and a
# reader that goes away still ends the run at once.
[ -x "$TOP/tests/bench/gen" ] || { echo "tests/bench/gen is not built" >&2; exit 77; }
"$TOP/tests/bench/gen" -n 100000 -s 5 . 2>/dev/null || exit 1
gzip -k web.log support.log billing.log
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx web.log support.log billing.log >plain; echo "plain: exit $?"
cx web.log.gz support.log.gz billing.log.gz >gz; echo "gzip: exit $?"
cmp plain gz && echo "same alerts: $(grep -c ALERT gz)"
size=$(wc -c <web.log.gz)
head -c $((size / 2)) web.log.gz >half.gz
cx -q -s half.gz 2>err; echo "truncated: exit $?"
grep -c 'half.gz: truncated gzip data at byte '"$((size / 2))"'; the lines before it were used' err
grep 'lines read' err | awk '{ print ($3 > 10000 && $3 < 70000) ? "half the lines used" : "lines: " $3 }'
cx -T 1 web.log.gz | head -1 | cut -c21-27
