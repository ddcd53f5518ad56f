# cxwatch.rules(5), semantics 13: SIGHUP keeps each rule's window and open
# incident by name while [incident] is unchanged (checkout-5xx's ends
# after the reload with the customers from before it), and ends the open
# incidents at the reload when its values change.
. "$TOP/tests/e2e/follow-lib.sh"
cat "$TOP/tests/data/e2e.rules" "$TOP/tests/e2e/incident/incident.rules" \
    >r.rules
: >log
: >out
: >err
"$CXWATCH" -r r.rules -e 0 -f log >out 2>err &
pid=$!
opened log 0
catches $pid 1
l() { printf '2026-11-21T%s web %s %s\n' "$1" "$2" "$3" >>log; }
l 10:00:00Z C1 '/checkout 502'
l 10:00:10Z C2 '/checkout 502'
l 10:00:20Z C3 '/checkout 502'
wait_for 100 'grep -qs "INCIDENT " out' || echo "no incident within 10 s"
# Other settings, the same [incident]: kept.
sed -i 's/^threshold *= *5$/threshold = 6/' r.rules
kill -HUP $pid
wait_for 100 '[ $(grep -c "rules reloaded" err) -ge 1 ]' ||
    echo "no reload within 10 s"
l 10:01:00Z C4 '/checkout 502'
l 10:20:00Z C9 '/home 500'
wait_for 100 'grep -qs "INCIDENT END" out' || echo "no end within 10 s"
l 10:45:00Z C5 '/checkout 502'
l 10:45:10Z C6 '/checkout 502'
l 10:45:20Z C7 '/checkout 502'
wait_for 100 '[ $(grep -c "INCIDENT " out) -ge 3 ]' ||
    echo "no second incident within 10 s"
# Another [incident]: the open incident ends at the reload.
sed -i 's/^customers *= *3$/customers = 4/' r.rules
kill -HUP $pid
wait_for 100 '[ $(grep -c "INCIDENT END" out) -ge 2 ]' ||
    echo "no end at the reload within 10 s"
stop
cat out
grep -v '^  ' err
