# -w, -T, -c and -C replace [settings]' values, and so reach every
# detector that does not set the key itself, never one that does: "fast"
# sets its window and threshold, "all" takes them from [settings].
R=$TOP/tests/data/detectors.rules
l() { printf '2026-11-21T10:%s web C1 %s %s\n' "$1" "$2" "$3"; }
{ l 00:00 /checkout 502; l 01:00 /checkout 502; l 02:00 /home 500; } >a
"$CXWATCH" -r "$R" -e 0 -t | grep '^detector' | sed 's/ (.*)$//'
"$CXWATCH" -r "$R" -e 0 -T 7 -w 1m -t | grep '^detector' | sed 's/ (.*)$//'
echo "-- as the rules say"
"$CXWATCH" -r "$R" -e 0 a | cut -d' ' -f3-6
echo "-- -T 7: all needs 7, fast still 6"
"$CXWATCH" -r "$R" -e 0 -T 7 a | cut -d' ' -f3-6
echo "-- -w 1m: all's window is a minute, fast's still 5"
"$CXWATCH" -r "$R" -e 0 -w 1m a | cut -d' ' -f3-6
