# SIGHUP re-reads the rules. Good rules replace the old ones and every
# customer keeps its window: C1's checkout failure (3) counts toward the
# new threshold of 4. A rule renamed away takes its events with it (C2).
# Bad rules are reported and the old ones go on.
. "$TOP/tests/e2e/follow-lib.sh"
cp "$TOP/tests/data/e2e.rules" r.rules
: >log
"$CXWATCH" -r r.rules -f -C 0 -e 0 log >out 2>err &
pid=$!
opened log 0
line 1 C1 /checkout 502 >>log
line 2 C2 /home 500 >>log
opened log "$(wc -c <log)"
sed 's/^threshold = 5$/threshold = 4/; s/^\[rule server-error\]$/[rule server-failed]/' \
    "$TOP/tests/data/e2e.rules" >r.rules
kill -HUP $pid
wait_for 100 'grep -qs "rules reloaded" err' || echo "no reload within 10 s"
line 3 C1 /home 500 >>log
line 4 C2 /checkout 502 >>log
wait_for 100 'grep -qs "ALERT C1" out' || echo "no alert within 10 s"
echo 'treshold = 1' >r.rules
kill -HUP $pid
wait_for 100 'grep -qs "old ones" err' || echo "no complaint within 10 s"
line 5 C3 /checkout 502 >>log
line 6 C3 /home 500 >>log
wait_for 100 'grep -qs "ALERT C3" out' || echo "no alert within 10 s"
kill -TERM $pid
wait $pid; echo "exit $?"
cat out
cat err
