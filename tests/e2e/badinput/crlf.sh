# CRLF line ends: the CR is not part of the line, so "502\r" still
# matches the $-anchored web source and the evidence shows no \x0d.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1 /checkout 502\r\n2026-11-21T10:00:01Z web C1 /checkout 502\r\n' |
    cx -C 0 -e 2
st
