# A slow program never holds up the reading: with --exec-jobs 1 and a
# program that takes a second, all three alerts are on stdout before the
# first program has finished; the other two wait in the queue and run
# after it, one by one.
. "$TOP/tests/e2e/follow-lib.sh"
printf '#!/bin/sh\nsleep 1\necho "$CX_CUSTOMER" >>calls\n' >slow
chmod +x slow
: >log
start -f -C 0 -e 0 --exec ./slow --exec-jobs 1 -s log
opened log 0
for c in C1 C2 C3; do
	line 1 $c /checkout 502
	line 2 $c /checkout 502
done >>log
wait_for 100 'grep -qs "ALERT C3" out' || echo "no alert within 10 s"
[ -s calls ] && echo "reading waited for the program" || echo "read on"
wait_for 100 '[ "$(grep -sc . calls)" = 3 ]' || echo "not all ran within 10 s"
stop
grep -c ALERT out
cat calls
grep -E 'exec (started|exit 0|dropped)' err
