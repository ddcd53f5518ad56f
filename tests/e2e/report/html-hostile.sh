# --report-format html on the sample day with hostile lines planted (a
# user agent that is a script, a customer id that is an image with an
# onerror handler, a referer that closes an attribute, invalid UTF-8, a
# bidi override and a C1 control, a line longer than the report keeps):
# the page is one valid HTML document (tidy, no warnings) whose only tags
# are the page's own, with one script and no on* attribute; rendered in
# headless Chromium it logs nothing to the console, no planted script
# ran (the title is the page's), no planted element exists, and the
# screenshot is kept in build/artifacts/report-html.png for people to
# look at. (The page is written whole, as every --report is; cli/output-
# errors tests a report that cannot be written.)
. "$TOP/tests/e2e/lib.sh"
need_tool python3 tidy chromium
S=$TOP/tests/data/sample
cp "$S/web.log" web.log
h='1.2.3.4 - %s [21/Nov/2026:23:59:%02d +0000] "GET /checkout/pay HTTP/1.1" 502 0 "%s" "%s" 0.1\n'
printf "$h" C900001 1 '-' "<script>document.title='pwned'</script>" >>web.log
printf "$h" "<img/src=x/onerror=document.title='img'>" 2 '-' 'x' >>web.log
printf "$h" C900002 3 '"><img src=x onerror=alert(1)>' 'y' >>web.log
bad=$(printf 'bad \377\376 utf8 \342\200\256rtl \302\205c1')
printf "$h" C900003 4 '-' "$bad" >>web.log
long=$(awk 'BEGIN { while (n++ < 3000) printf "A" }')
printf "$h" C900004 5 '-' "$long" >>web.log
"$CXWATCH" -r "$TOP/rules" -q -T 1 --report r.html --report-format html \
    web.log "$S/support.log" "$S/billing.log"
echo "exit $?"
tidy -q -e r.html
echo "tidy $?"
python3 - r.html <<'PY'
import re, sys
from html.parser import HTMLParser
ok = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "div",
      "b", "p", "time", "code", "svg", "rect", "text", "span", "table",
      "tr", "th", "td", "details", "summary", "label", "input", "script"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.bad = []
        self.data = []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in ok:
            self.bad.append("tag " + tag)
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append("attribute " + k)
    def handle_data(self, d):
        self.data.append(d)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
text = "".join(p.data)
print("scripts", p.tags.get("script"), "journeys", p.tags.get("details"),
      "bad", p.bad)
for want in ("<script>document.title='pwned'</script>",
             "<img/src=x/onerror=document.title='img'>",
             '"><img src=x onerror=alert(1)>',
             "bad \\xff\\xfe utf8 \\u{202e}rtl \\u{0085}c1"):
    print("shown as text:", want in text)
print("cut:", re.findall(r"A{1000,} \((\d+) more bytes\)", text))
PY
mkdir -p "$TOP/build/artifacts"
rm -f "$TOP/build/artifacts/report-html.png"
timeout 120 chromium --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$PWD/chrome" --enable-logging=stderr --v=0 \
    --dump-dom "file://$PWD/r.html" >dom.html 2>chrome.err
echo "chromium dump $?"
timeout 120 chromium --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$PWD/chrome" --window-size=1200,2000 \
    --screenshot="$TOP/build/artifacts/report-html.png" \
    "file://$PWD/r.html" >/dev/null 2>&1
echo "chromium screenshot $?"
python3 - dom.html chrome.err "$TOP/build/artifacts/report-html.png" <<'PY'
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
err = open(sys.argv[2], encoding="utf-8", errors="replace").read()
print("title", re.search(r"<title>(.*?)</title>", dom).group(1))
print("scripts in the DOM", dom.count("<script"), "images", dom.count("<img"))
print("console messages", len(re.findall(r"CONSOLE", err)))
png = open(sys.argv[3], "rb").read()
print("screenshot png", png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000)
PY
