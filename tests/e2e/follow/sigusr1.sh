# SIGUSR1 prints the --stats figures to stderr without stopping.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -x log
opened log 0
line 1 C1 /checkout 502 >>log
lines_seen 1
kill -USR1 $pid
wait_for 100 'grep -qs "lines read" err' || echo "no stats within 10 s"
kill -0 $pid && echo "still running"
grep -E 'lines read|events  ' err
stop
