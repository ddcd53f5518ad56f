# Rotation by rename: the old file is read to its end (a line written
# to it after the rename included), then the new file from its start;
# no line is lost or repeated.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -x -C 0 -T 100 log
opened log 0
line 1 C1 /a 200 >>log
lines_seen 1
mv log log.1
line 2 C1 /b 200 >>log.1
line 3 C1 /c 200 >log
lines_seen 3
line 4 C1 /d 200 >>log
lines_seen 4
stop
sed 's/ no rule.*//' out
