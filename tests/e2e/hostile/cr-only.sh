# Lines end at LF; a CR just before it is dropped, but a CR alone is an
# ordinary byte. Old Mac line ends (CR only) so make one long line: here
# it is claimed by the catch-all source and holds no event; past
# --max-line it is skipped whole, like any long line.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1 /checkout 502\r2026-11-21T10:00:01Z web C1 /checkout 502\r' >in
cx -x -s -C 0 in 2>stats
st
grep -E 'lines (read|too long)' stats
cx -x -s --max-line 64 in 2>stats
st
grep -E 'lines (read|too long)' stats
