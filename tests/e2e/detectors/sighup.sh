# SIGHUP keeps the windows of detectors that still exist, by name (with
# the events of rules that still count in them); a new detector starts
# empty; a removed one is dropped.
. "$TOP/tests/e2e/follow-lib.sh"
sed 's/^threshold = 6$/threshold = 9/; s/^threshold = 5$/threshold = 8/' \
    "$TOP/tests/data/detectors.rules" >r.rules
: >log
: >out
: >err
"$CXWATCH" -r r.rules -e 0 -f log >out 2>err &
pid=$!
opened log 0
catches $pid 1
l() { printf '2026-11-21T10:%s web C1 %s %s\n' "$1" "$2" "$3"; }
l 00:00 /checkout 502 >>log
l 00:10 /checkout 502 >>log
size=$(wc -c <log)
opened log "$size"
# fast is gone; quick (threshold 6) is new, so empty: C1's third failure
# is 3 there; all keeps C1's window, 6 points, and the third makes 9 of 8.
sed 's/^\[detector fast\]$/[detector quick]/; s/^forgive = fast$/forgive = quick/
    s/^threshold = 5$/threshold = 8/' "$TOP/tests/data/detectors.rules" >r.rules
kill -HUP $pid
wait_for 100 'grep -qs "rules reloaded" err' || echo "no reload within 10 s"
l 00:20 /checkout 502 >>log
wait_for 100 'grep -qs "ALERT" out' || echo "no alert within 10 s"
stop
cat out
grep -v '^  ' err
