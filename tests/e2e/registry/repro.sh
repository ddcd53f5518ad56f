# Issue 10's reproduction: a gzip archive read twice with --state counts
# its lines once; -s says the second run found it already read.
L() { echo "203.0.113.7 - $1 [21/Nov/2026:10:0$2:00 +0000] \"POST /checkout/pay HTTP/1.1\" 502 173 \"-\" \"UA\" 0.7"; }
{ L C1 1; L C1 2; } | gzip >two.gz
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx --state st two.gz; echo "first run: exit $?"
cx --state st two.gz; echo "second run: exit $?"
cx --state st -s two.gz 2>&1 | grep -E '^  (inputs|lines read|events  )'
# A third failure later in the archive's successor alerts, once.
{ L C1 1; L C1 2; L C1 3; } | gzip >three.gz
cx --state st three.gz | cut -c1-60; echo "three.gz: exit $?"
