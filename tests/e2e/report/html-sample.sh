# --report-format html on the shipped sample day: the page names the
# three inputs, has the planted outage as one incident (payment-error,
# 40 customers) and a band for it on the timeline, lists the six alerts'
# journeys (the planted customers planted.txt marks "alert"), and renders
# in headless Chromium with nothing on the console. The screenshot, kept
# in build/artifacts/report-sample.png, is the README's.
. "$TOP/tests/e2e/lib.sh"
need_tool python3 chromium
S=$TOP/tests/data/sample
cp "$S/web.log" "$S/support.log" "$S/billing.log" .
"$CXWATCH" -r "$TOP/rules" -q --report r.html --report-format html \
    web.log support.log billing.log
echo "exit $?"
python3 - r.html "$S/planted.txt" <<'PY'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
print("inputs", re.findall(r"<code>([a-z]+\.log)</code>", h))
t = h[h.index('id="incidents"'):h.index('id="rules"')]
print("incidents", re.findall(r"<tr><td><code>([^<]*)</code></td><td>([^<]*)<", t),
      re.findall(r'<td class="n">(\d+)</td>', t))
print("bands", len(re.findall(r'fill-opacity="0.15" stroke="#d62728"><title>incident ', h)))
j = re.findall(r'<details class="j" data-c="([^"]*)">', h)
want = sorted(l.split()[0] for l in open(sys.argv[2]) if l.split()[2] == "alert")
print("journeys", len(j), "planted alerts listed:", sorted(j) == want)
PY
mkdir -p "$TOP/build/artifacts"
timeout 120 chromium --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$PWD/chrome" --enable-logging=stderr --v=0 \
    --window-size=1200,1500 \
    --screenshot="$TOP/build/artifacts/report-sample.png" \
    "file://$PWD/r.html" >/dev/null 2>chrome.err
echo "chromium $?"
echo "console messages: $(grep -c CONSOLE chrome.err)"
