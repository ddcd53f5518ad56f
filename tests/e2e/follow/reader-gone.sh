# -f | head -1: once the reader of the alerts has gone, cxwatch notices
# within a poll (as tail -f does) and stops quietly, without waiting for
# another alert to write; --state is saved and the exit status is 0 (an
# alert was raised).
. "$TOP/tests/e2e/follow-lib.sh"
: >log
mkfifo o
head -n 1 <o >first &
hpid=$!
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" -f -C 0 -e 0 --state st log \
    >o 2>err &
pid=$!
opened log 0
line 1 C1 /checkout 502 >>log
line 2 C1 /checkout 502 >>log
wait $hpid
cat first
ends_within $pid 20
echo "exit $ended"
[ -s err ] && cat err || echo "nothing said"
[ -s st ] && echo "state saved"
