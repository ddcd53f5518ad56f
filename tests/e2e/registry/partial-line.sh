# With --state a plain file's last line without a newline is left for
# the next run (it may still be being written), and counted once whole.
# A gzip archive is complete: its last line counts at once.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1 /checkout 502\n2026-11-21T10:00:01Z web C1 /chec' >a.log
cx -C 0 --state st -s a.log 2>&1 | grep -E '^  (lines read|events  )'
printf 'kout 502\n' >>a.log
cx -C 0 --state st a.log; echo "exit $?"
cx -C 0 --state st -s a.log 2>&1 | grep -E '^  (inputs already|lines read)'
printf '2026-11-21T10:00:00Z web C2 /checkout 502\n2026-11-21T10:00:01Z web C2 /checkout 502' | gzip >b.gz
cx -C 0 --state st b.gz; echo "gzip: exit $?"
# Without --state nothing is held: the line counts (as it always has).
printf '2026-11-21T10:00:00Z web C3 /checkout 502\n2026-11-21T10:00:01Z web C3 /checkout 502' >c.log
cx -C 0 -e 0 c.log; echo "no state: exit $?"
