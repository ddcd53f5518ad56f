# cxwatch.rules(5), semantics 3 to 5 and "Detectors.": one line's event
# counts in every detector whose rules include its rule, each with its
# own window, threshold and cooldown; alerts of one line come in the
# order the detectors were defined, each naming its detector, with that
# detector's threshold and window (text and JSON).
R=$TOP/tests/data/detectors.rules
l() { printf '2026-11-21T10:%s web C%s %s %s\n' "$1" "$2" "$3" "$4"; }
{
	l 00:00 1 /checkout 502		# fast 3, all 3
	l 01:00 1 /checkout 502		# fast 6: alert; all 6: alert
	l 02:00 2 /home 500		# all only: 1
	l 03:00 2 /checkout 502		# fast 3, all 4
	l 09:00 2 /checkout 503		# fast: 03:00 left (5m), 3; all 7: alert
} >web.log
"$CXWATCH" -r "$R" -e 0 web.log; echo "exit $?"
"$CXWATCH" -r "$R" -e 0 -o json web.log | cut -c1-120
# -s counts per detector.
"$CXWATCH" -r "$R" -q -s web.log 2>&1 | grep -E '^  (detector|alerts|events  )'
