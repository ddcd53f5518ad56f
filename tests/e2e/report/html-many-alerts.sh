# A day with 100,000 alerts (one customer each, -T 1): the HTML page
# lists the 500 with the highest scores whole, says how many there were,
# and stays small (cxwatch(1), --report-format: about 12 MB at most; here
# a few hundred kB); with 3,000-byte evidence lines each is cut at 2,000.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
awk 'BEGIN {
	for (i = 0; i < 100000; i++) {
		s = int(i / 100)
		printf "10.0.0.1 - C%06d [21/Nov/2026:%02d:%02d:%02d +0000] \"POST /checkout/pay HTTP/1.1\" %d 0 \"-\" \"%s\" 0.1\n",
		    i, int(s / 3600), int(s / 60) % 60, s % 60,
		    i % 7 == 0 ? 503 : 502, i % 1000 == 0 ? sprintf("%3000s", "x") : "ua"
	}
}' >web.log
"$CXWATCH" -r "$TOP/rules" -q -T 1 --report r.html --report-format html \
    web=web.log
echo "exit $?"
python3 - r.html <<'PY'
import os, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
print("journeys", h.count('<details class="j"'))
print(re.search(r"<p>(\d+ of \d+ alerts)", h).group(1))
print("customers alerted", re.search(r"<b>(\d+)</b>customers alerted", h).group(1))
print("cut lines", len(re.findall(r"\(\d+ more bytes\)", h)))
print("under 1 MB", os.path.getsize(sys.argv[1]) < 1000000)
PY
