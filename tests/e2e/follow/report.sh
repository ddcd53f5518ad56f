# --report with -f: the summary is written when a signal ends the run.
# Across a SIGHUP the counts follow the rules by name: checkout-5xx keeps
# its events and alerts, server-error (renamed away) is dropped, and the
# new server-failed counts from the reload on.
. "$TOP/tests/e2e/follow-lib.sh"
cp "$TOP/tests/data/e2e.rules" r.rules
: >log
"$CXWATCH" -r r.rules -f -C 0 -e 0 --report rep log >out 2>err &
pid=$!
opened log 0
line 1 C1 /checkout 502 >>log
line 2 C1 /checkout 502 >>log
opened log "$(wc -c <log)"
sed 's/^\[rule server-error\]$/[rule server-failed]/' \
    "$TOP/tests/data/e2e.rules" >r.rules
kill -HUP $pid
wait_for 100 'grep -qs "rules reloaded" err' || echo "no reload within 10 s"
line 3 C2 /checkout 502 >>log
line 4 C2 /home 500 >>log
opened log "$(wc -c <log)"
stop
cat out err
sed -n '/^lines/,/^top/p' rep
