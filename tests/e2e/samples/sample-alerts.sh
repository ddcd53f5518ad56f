# The whole alert output of the sample day, text and JSON, is golden.
S=$TOP/tests/data/sample
"$CXWATCH" -r "$TOP/rules" "$S/web.log" "$S/support.log" "$S/billing.log"
"$CXWATCH" -r "$TOP/rules" -o json -e 2 "$S/web.log" "$S/support.log" \
    "$S/billing.log"
