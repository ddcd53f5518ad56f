# Inputs whose first bytes are the gzip magic are inflated on the fly,
# whatever their names: a.log.gz b.log c.log.gz gives the same alerts as
# the plain files, and as the gzip read from standard input.
S=$TOP/tests/data/sample
gzip -c "$S/web.log" >web.log.gz
gzip -c "$S/billing.log" >billing.data
"$CXWATCH" -r "$TOP/rules" "$S/web.log" "$S/support.log" "$S/billing.log" >plain
echo "exit $?"
"$CXWATCH" -r "$TOP/rules" web.log.gz "$S/support.log" billing.data >gz
echo "exit $?"
cmp plain gz && echo "same alerts: $(grep -c ALERT gz)"
"$CXWATCH" -r "$TOP/rules" -s -q web=- <web.log.gz 2>&1 |
    grep -E 'lines (read|source web)'
