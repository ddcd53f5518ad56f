# --report with incidents: the text, JSON and HTML forms list each
# incident (id, rule, channel, opening, end or "open", customers, peak per
# minute, samples); the JSON one parses; in the HTML one the incidents
# table has a row per incident and the timeline a band for each. Without
# --state the input's end ends the last one; with --state it stays open.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
. "$TOP/tests/e2e/incident/day.sh"
ci -q --report - day.log 2>&1 | sed -n '/^incidents/,/^$/p'
ci -q --report r.json --report-format json day.log
python3 -c 'import json, sys
d = json.load(open("r.json"))
for i in d["incidents"]:
    print(i["id"], i["rule"], i["channel"], i["opened"], i["end"],
          i["customers"], i["approximate"], i["peak_per_minute"],
          ",".join(i["samples"]))
print("not kept", d["incidents_not_kept"])'
ci -q --state st --report r2.json --report-format json day.log
python3 -c 'import json
print([(i["id"], i["end"]) for i in json.load(open("r2.json"))["incidents"]])'
ci -q --report r.html --report-format html day.log
python3 - r.html <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
t = h[h.index('id="incidents"'):h.index('id="rules"')]
print("incident rows", t.count("<tr>") - 1)
print("bands", len(re.findall(r'<rect [^>]*fill-opacity="0.15" stroke="#d62728"><title>incident ', h)))
print("glance", re.search(r"<b>(\d+)</b>incidents", h).group(1))
PY
