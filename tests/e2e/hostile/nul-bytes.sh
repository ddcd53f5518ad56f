# NUL bytes where a number, a time or a rules line is expected: the
# field is not a number, the time is bad, the rules file is refused;
# nothing is cut at the NUL. (badinput/nul-bytes covers alerts.)
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1 /a 502 rt=5\0009\n2026-11-21T10:00:0\0001Z web C2 /a 502\n2026-11-21T10:00:02Z web C3 /a 50\0002\n\000\n' >in
cx -x -s in 2>stats
st
grep -E 'lines (read|unmatched|bad time)|events' stats | grep -v 'events rule'
printf '[source s]\nmatch = ^(?<customer>\\S+)\000\ntime = none\n' >nul.rules
"$CXWATCH" -t -r nul.rules
st
