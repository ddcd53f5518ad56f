# --from-start reads what the file holds first, then follows.
. "$TOP/tests/e2e/follow-lib.sh"
line 0 C1 /checkout 502 >log
start -f --from-start -x -C 0 log
lines_seen 1
line 1 C1 /checkout 502 >>log
lines_seen 2
stop
cat out
