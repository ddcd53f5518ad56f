# -f skips a byte-order mark that begins what it reads of a file: with
# --from-start, and in a file that appears after the start.
. "$TOP/tests/e2e/follow-lib.sh"
bom=$(printf '\357\273\277')
printf '%s\n' "${bom}2026-11-21T10:00:00Z web C1 /checkout 502" >log
: >ready.log
start -f --from-start -x -C 0 -T 100 log later.log ready.log
lines_seen 1
opened ready.log 0
printf '%s\n' "${bom}2026-11-21T10:00:01Z web C2 /checkout 502" >later.log
lines_seen 2
stop
sed "s/$bom/<BOM>/g; s/ path=.*//" out
