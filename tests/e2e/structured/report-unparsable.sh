# Unparsable lines are counted per structured source in -s (--stats) and
# in --report, as text and as JSON; a regex source has no such count
# that can move (0), and the summary line adds them up.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
S=$TOP/tests/data/sample
{ head -n 50 "$S/billing.log"; echo '{"customer":"C1",'; echo '{"x":"\q"}'; } >billing.log
{ head -n 50 "$S/support.log"; echo 'customer=C1 msg="open'; } >support.log
head -n 50 "$S/web.log" >web.log
"$CXWATCH" -r "$TOP/rules" -q -s --report - web.log support.log billing.log \
    2>&1 | grep -E 'unparsable|^source|^(web|support|billing) |^lines:'
"$CXWATCH" -r "$TOP/rules" -q --report r.json --report-format json \
    web.log support.log billing.log
python3 -c 'import json; d = json.load(open("r.json"))
print("lines.unparsable", d["lines"]["unparsable"])
for s in d["sources"]: print(s["name"], s["format"], s["lines"], s["unparsable"])'
