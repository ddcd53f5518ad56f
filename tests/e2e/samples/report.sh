# --report: the summary of the sample day as text (to stderr with -, or
# a file) and as one JSON object; a report that cannot be written is an
# error (exit 2) that does not lose the alerts.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
S=$TOP/tests/data/sample
"$CXWATCH" -r "$TOP/rules" -q --report - "$S/web.log" "$S/support.log" \
    "$S/billing.log" 2>&1
echo "exit $?"
"$CXWATCH" -r "$TOP/rules" -q --report r.json --report-format json \
    "$S/web.log" "$S/support.log" "$S/billing.log"
echo "exit $?"
cat r.json
"$CXWATCH" -r "$TOP/rules" --report /nonexistent/r.txt "$S/web.log" |
    grep -c ALERT
"$CXWATCH" -r "$TOP/rules" -q --report /nonexistent/r.txt "$S/web.log"
echo "exit $?"
python3 -c 'import json; d = json.load(open("r.json")); print("json ok:", d["alerts"], len(d["hours"]), d["top"][0]["customer"])'
