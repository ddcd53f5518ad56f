# A file that does not exist yet is waited for and read from its start
# once it appears. (ready.log, named after it, tells when cxwatch has
# looked for later.log and not found it.)
. "$TOP/tests/e2e/follow-lib.sh"
: >ready.log
start -f -x -C 0 -T 100 later.log ready.log
opened ready.log 0
line 1 C1 /a 200 >later.log
line 2 C1 /b 200 >>later.log
lines_seen 2
stop
sed 's/ no rule.*//' out
