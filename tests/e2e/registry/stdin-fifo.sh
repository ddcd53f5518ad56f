# Standard input and FIFOs are never in the registry: what was read of
# them cannot be read again, so every run counts what they bring.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
l 0 1 >a.log
cx -C 0 -e 0 --state st - <a.log; echo "stdin: exit $?"
cx -C 0 -e 0 --state st - <a.log; echo "stdin again: exit $?"
mkfifo f
l 0 2 >f & cx -C 0 -e 0 --state st f; echo "fifo: exit $?"; wait
l 0 2 >f & cx -C 0 -e 0 --state st f; echo "fifo again: exit $?"; wait
