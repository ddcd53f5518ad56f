# Anything but a regular file where a rules file belongs is refused at
# once, named for what it is, instead of hanging for good on an open or
# read that never returns: a FIFO named *.rules in a rules directory, a
# FIFO or a device given as -r, and a FIFO that appears in the rules
# directory of a running -f before a SIGHUP (the old rules go on).
. "$TOP/tests/e2e/follow-lib.sh"
mkdir rd
cp "$TOP/tests/data/e2e.rules" rd/a.rules
mkfifo rd/b.rules fifo.rules
timeout 10 "$CXWATCH" -t -r rd
st
timeout 10 "$CXWATCH" -t -r fifo.rules
st
timeout 10 "$CXWATCH" -t -r /dev/zero
st
rm rd/b.rules
: >log
"$CXWATCH" -r rd -f -C 0 -e 0 log >out 2>err &
pid=$!
opened log 0
mkfifo rd/b.rules
kill -HUP $pid
wait_for 100 'grep -qs "old ones" err' || echo "no complaint within 10 s"
line 1 C1 /checkout 502 >>log
line 2 C1 /checkout 502 >>log
wait_for 100 'grep -qs "ALERT C1" out' || echo "no alert within 10 s"
stop
cat out err
