# A text alert says why it fired, as the JSON "reason" does: score,
# channels or score,channels -- so C000038's score=6/10 on the sample day
# reads as an alert for its three channels.
S=$TOP/tests/data/sample
# (The sample day's incident is not an alert: its lines are left out.)
"$CXWATCH" -r "$TOP/rules" -e 0 "$S/web.log" "$S/support.log" \
    "$S/billing.log" | awk '$2 == "ALERT" { print $3, $4, $5, $6 }' >text
"$CXWATCH" -r "$TOP/rules" -e 0 -o json "$S/web.log" "$S/support.log" \
    "$S/billing.log" | grep -v '^{"type":' |
    sed -E 's/.*"customer":"([^"]*)","detector":"([^"]*)","reason":\[([^]]*)\],"score":([0-9]+),"threshold":([0-9]+).*/\1 detector=\2 reason=\3 score=\4\/\5/; s/"//g' >json
cat text
cmp text json && echo "text and JSON give the same reasons"
