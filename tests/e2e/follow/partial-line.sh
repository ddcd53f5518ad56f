# A last line without its newline yet is held until it is completed,
# then read as one line.
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -x -C 0 -T 100 log
opened log 0
printf '2026-11-21T10:00:01Z web C1 ' >>log
opened log "$(wc -c <log)"
printf '/a 200\n' >>log
lines_seen 1
stop
sed 's/ no rule.*//' out
