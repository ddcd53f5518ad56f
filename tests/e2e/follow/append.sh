# -f starts at the end of the file and alerts on what is appended, while
# cxwatch keeps running; what the file held before is not read.
. "$TOP/tests/e2e/follow-lib.sh"
line 0 C1 /checkout 502 >log
line 1 C1 /checkout 502 >>log
start -f -C 0 -e 0 log
opened log "$(wc -c <log)"
line 2 C2 /checkout 502 >>log
line 3 C2 /checkout 502 >>log
wait_for 100 'grep -qs ALERT out' || echo "no alert within 10 s"
cat out
stop
