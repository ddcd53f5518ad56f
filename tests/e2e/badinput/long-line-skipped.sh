# A line over --max-line (default 64 KiB) is skipped whole and counted,
# never cut into a wrong match; a 10 MB line costs no trouble; the line
# after it is read normally and keeps its number.
. "$TOP/tests/e2e/lib.sh"
{
	printf '2026-11-21T10:00:00Z web C1 /checkout 502 rt=1'
	head -c 10000000 /dev/zero | tr '\0' 9
	printf '\n2026-11-21T10:00:01Z web C2 /checkout 502\n'
} >in
cx -x -s in 2>stats
st
grep -E 'lines (read|too long)' stats
# Exactly at the limit a line is kept; one byte over, skipped.
l=$(printf '2026-11-21T10:00:00Z web C3 /%0100d 200' 0)
printf '%s\n' "$l" | cx -x --max-line ${#l} | cut -c1-60
printf '%s\n' "$l" | cx -x --max-line $((${#l} - 1)) -s 2>&1 | grep 'too long'
