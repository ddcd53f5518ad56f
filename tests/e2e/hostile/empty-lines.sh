# Lines of 0 bytes (and a CR alone, which is an empty line with a CRLF
# end) are read, numbered and counted as unmatched; the line after them
# keeps its number. An input of nothing but newlines is a quiet run.
. "$TOP/tests/e2e/lib.sh"
printf '\n\n\r\n2026-11-21T10:00:00Z web C1 /a 502\n\n' >in
cx -x -s in 2>stats
st
grep -E 'lines (read|unmatched)|events ' stats
head -c 100000 /dev/zero | tr '\0' '\n' | cx -s 2>stats
st
grep -E 'lines (read|unmatched)' stats
