# Truncation in place (logrotate's copytruncate): reading starts again
# at offset 0, so the lines written after the truncation are all read.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -x -C 0 -T 100 log
opened log 0
line 1 C1 /a 200 >>log
line 2 C1 /b 200 >>log
lines_seen 2
cp log log.1
: >log
line 3 C1 /c 200 >>log
lines_seen 3
line 4 C1 /d 200 >>log
lines_seen 4
stop
sed 's/ no rule.*//' out
