# Rules without [detector] sections (the rules shipped before detectors,
# tests/data/rules-v1) give the alerts they gave before, byte for byte,
# once the new detector field is taken out: the golden output is what the
# cxwatch before detectors printed for this sample day, text and JSON.
S=$TOP/tests/data/sample
cx() { "$CXWATCH" -r "$TOP/tests/data/rules-v1" "$@" "$S/web.log" \
    "$S/support.log" "$S/billing.log"; }
cx >text; echo "text: exit $?"
cx -o json >json; echo "json: exit $?"
echo "text alerts naming another detector: $(grep ' ALERT ' text | grep -vc ' detector=default ')"
echo "json alerts naming another detector: $(grep -vc '"detector":"default"' json)"
sed 's/^\([^ ]* ALERT [^ ]*\) detector=default /\1 /' text
sed 's/,"detector":"default"//' json
