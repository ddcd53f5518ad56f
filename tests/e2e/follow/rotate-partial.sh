# A file that ends without a newline and is then rotated: its last line
# is read as a line of its own, not glued to the new file's first, once
# the old file has been quiet for the rotate wait (1 s here, not 10).
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f --rotate-wait 1s -x -C 0 -T 100 log
opened log 0
printf '2026-11-21T10:00:01Z web C1 /a 200' >>log
opened log "$(wc -c <log)"
mv log log.1
line 2 C1 /b 200 >log
lines_seen 2
stop
sed 's/ no rule.*//' out
