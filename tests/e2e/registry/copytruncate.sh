# copytruncate: the log is copied to access.log.1 and truncated in place.
# The copy (a new inode) is recognised by its first lines and read on
# from where the last run stopped; the truncated log from its start.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
run() { cx -C 0 -e 1 --state st -x "$@" | cut -d' ' -f1-5; }
{ l 0 1; l 1 2; } >access.log
cx -C 0 -e 1 --state st access.log; echo "exit $?"
l 2 1 >>access.log
cp access.log access.log.1
: >access.log
l 3 2 >>access.log
run access.log.1 access.log
cx -C 0 -e 1 --state st access.log.1 access.log; echo "exit $?"
cx -C 0 -e 1 --state st access.log.1 access.log; echo "again: exit $?"
