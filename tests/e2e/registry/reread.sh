# --reread reads every file from its start on purpose (and counts its
# lines again); --state-reset forgets the windows and what was read.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
l 0 1 >a.log
cx -C 0 -e 0 --state st a.log; echo "exit $?"
cx -C 0 -e 0 --state st a.log; echo "again: exit $?"
cx -C 0 -e 0 --state st --reread a.log; echo "--reread: exit $?"
cx -C 0 -e 0 --state st --state-reset -s a.log 2>&1 | grep -E 'inputs already|^  events  '
cx -C 0 -e 0 --state st -s a.log 2>&1 | grep -E 'inputs already|^  events  '
cx --reread a.log; echo "--reread alone: exit $?"
