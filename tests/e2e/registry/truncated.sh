# A file truncated, or replaced by other lines, since it was read is read
# again from its start; one that only grew is read on.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
{ l 0 1; l 1 2; l 2 3; } >a.log
cx -C 0 -e 0 --state st a.log; echo "exit $?"
# Truncated in place and shorter now: from the start.
l 3 1 >a.log
cx -C 0 -e 0 --state st -x a.log | cut -d' ' -f1-5
# Rewritten in place with other lines, as long as before: from the start.
{ l 4 4; l 5 5; l 6 6; l 7 4; } >a.log
cx -C 0 -e 0 --state st -x a.log | cut -d' ' -f1-5
