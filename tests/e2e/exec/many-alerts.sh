# 100,000 alerts through --exec with a fast program: the reading never
# waits, so most are dropped from the full queue (1000), but every alert
# is accounted for: run (and recorded by the program) or counted dropped.
# Dropped alerts are trouble: said once, summed up at the end, exit 2.
# One job at a time keeps the runs few (about 1300), so the case is quick.
. "$TOP/tests/e2e/lib.sh"
printf '#!/bin/sh\necho "$CX_CUSTOMER" >>calls\n' >fast
chmod +x fast
awk 'BEGIN { for (i = 1; i <= 100000; i++) {
	printf "2026-11-21T10:00:00Z web C%d /checkout 502\n", i
	printf "2026-11-21T10:00:01Z web C%d /checkout 502\n", i } }' >in
: >calls
cx -C 0 -e 0 -q --exec ./fast --exec-jobs 1 -s in 2>stats; st
awk '$1 == "alerts" { a = $2 }
    $1 == "exec" && $2 == "started" { s = $3 }
    $1 == "exec" && $2 == "exit" { ok = $4 }
    $1 == "exec" && $2 == "dropped" && NF == 3 { d = $3 }
    END { print "alerts", a; print "started + dropped", s + d
	  print "all started ran fine:", s == ok ? "yes" : "no"
	  print "dropped some:", (d > 0 ? "yes" : "no"); print s > "started" }' stats
[ "$(wc -l <calls)" -eq "$(cat started)" ] && echo "every run recorded"
[ "$(sort -u calls | wc -l)" -eq "$(cat started)" ] && echo "none twice"
grep -c '^cxwatch: --exec: ./fast: 1000 alerts wait already; the alert for C[0-9]* and others until there is room are dropped (said once, -s counts them)$' stats
grep '^cxwatch: --exec: ./fast: in all: [0-9]* alerts dropped (queue full)$' stats | sed 's/[0-9][0-9]*/N/'
