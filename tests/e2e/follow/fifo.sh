# A named FIFO followed with -f is read as its writer writes, without
# stalling the other followed file.
. "$TOP/tests/e2e/follow-lib.sh"
mkfifo pipe
: >log
start -f -x -C 0 -T 100 pipe log
opened log 0
exec 3<>pipe
line 1 C1 /a 200 >&3
lines_seen 1
line 2 C2 /b 200 >>log
lines_seen 2
exec 3>&-
stop
sed 's/ no rule.*//' out
