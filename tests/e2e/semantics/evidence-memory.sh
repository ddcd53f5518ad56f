# --evidence-memory bounds the evidence lines of all customers together
# (each costs its length plus 8 bytes): past it the least recently active
# customers' lines go first, and their alerts say how many (text, JSON,
# --exec). The alerts themselves never change; a large bound is the
# default's output byte for byte; 0 keeps no line; -e 0 says nothing of
# lines. A --state saved with lines dropped restores without them.
. "$TOP/tests/e2e/lib.sh"
for m in 0 1 2 3 4; do
	for c in C1 C2 C3; do
		echo "2026-11-21T10:0$m:00Z web $c /home 50$m"
	done
done >in
printf '%s\n' '2026-11-21T10:05:00Z web C4 /checkout 502' \
    '2026-11-21T10:05:01Z web C4 /checkout 503' >>in
echo "-- 300 bytes:"
cx -C 0 --evidence-memory 300 in; st
echo "-- as JSON:"
cx -C 0 --evidence-memory 300 -o json in |
    sed 's/"evidence":\[.*\]/"evidence":[...]/'
echo "-- --exec:"
printf '#!/bin/sh\ngrep -o "\\"evidence_dropped\\":[0-9]*" >>got\n' >hook
echo 'exit 0' >>hook
chmod +x hook
cx -C 0 -q --evidence-memory 300 --exec ./hook --exec-jobs 1 in; st
cat got
echo "-- 0:"
cx -C 0 --evidence-memory 0 in
cx -C 0 --evidence-memory 0 -q -s in 2>&1 | grep evidence
echo "-- -e 0:"
cx -C 0 -e 0 --evidence-memory 0 in | grep -c dropped
echo "-- the alerts whatever the bound; a large one is the default:"
cx -C 0 in >default
grep ALERT default >default.alerts
for m in 0 300 1K 1M 4G; do
	cx -C 0 --evidence-memory $m in >out
	grep ALERT out | cmp - default.alerts && echo "$m: same alerts"
	cmp -s out default && echo "$m: same output"
done
echo "-- --state: the first half with 100 bytes, the rest with the default:"
head -n 9 in >half1
tail -n +10 in >half2
cx -C 0 --evidence-memory 100 --state st half1; st
cx -C 0 --state st half2; st
