# With -f the program runs for each alert while cxwatch goes on reading.
. "$TOP/tests/e2e/follow-lib.sh"
printf '#!/bin/sh\necho "$CX_CUSTOMER $CX_SCORE" >>"$HOOK_LOG"\n' >hook
chmod +x hook
: >log
HOOK_LOG=$PWD/calls "$CXWATCH" -r "$TOP/tests/data/e2e.rules" -f -q -C 0 \
    --exec ./hook log >out 2>err &
pid=$!
opened log 0
line 1 C1 /checkout 502 >>log
line 2 C1 /checkout 502 >>log
wait_for 100 'grep -qs C1 calls' || echo "no call within 10 s"
kill -0 $pid && echo "still running"
stop
cat calls
