# cxwatch.rules(5), Forgiveness: a forgiving line removes the customer's
# events up to its time in the detectors it names (and only those); a
# failure logged after the success that followed it is dropped as
# forgiven; one later than the success counts; a forgiving line for a
# customer a detector does not track makes no entry; forgiveness leaves
# suppression alone and never alerts.
R=$TOP/tests/data/detectors.rules
w() { printf '2026-11-21T10:%s web C%s %s %s\n' "$1" "$2" "$3" "$4"; }
s() { printf '2026-11-21T10:%s support C%s %s\n' "$1" "$2" "$3"; }
cx() { "$CXWATCH" -r "$R" -e 0 "$@"; }
echo "-- paid forgives fast, not all"
{ w 00:00 1 /checkout 502; w 01:00 1 /paid 200; w 02:00 1 /checkout 502; } >a
cx -x a | cut -d' ' -f1-6
cx a; echo "exit $?"
echo "-- a failure logged after the success, from before it: forgiven"
{ w 00:00 2 /checkout 502; w 02:00 2 /paid 200; w 01:00 2 /checkout 502
  w 03:00 2 /checkout 502; } >b
cx --no-merge -x b | grep -E '=>|forgiv' | cut -d' ' -f1-8
cx -s -q b 2>&1 | grep -E 'detector fast|events forgiven'
echo "-- forgiving a customer nobody tracks: no entry"
s 00:00 3 chat.solved >c
cx -s -q c 2>&1 | grep -E 'customers (tracked|peak)|lines forgiving'
echo "-- during suppression: suppression stays, no alert"
{ w 00:00 4 /checkout 502; w 00:30 4 /checkout 502; s 01:00 4 chat.solved
  w 02:00 4 /checkout 502; w 02:30 4 /checkout 502; } >d
cx d; echo "exit $?"
