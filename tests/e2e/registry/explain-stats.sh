# -x says which inputs are skipped or read on, and describes the run
# without writing --state (so explaining uses nothing up); -s counts
# inputs, those already read and those read on.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
{ l 0 1; l 1 2; } >a.log
l 0 3 >b.log
cx -C 0 -e 0 --state st a.log b.log; echo "exit $?"
l 2 1 >>a.log
cx -C 0 -e 0 --state st -x a.log b.log | cut -d' ' -f1-5
cx -C 0 -e 0 --state st -x a.log b.log | cut -d' ' -f1-5
cx -C 0 -e 0 --state st -s a.log b.log 2>&1 | grep -E 'ALERT|^  inputs'
