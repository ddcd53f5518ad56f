# Standard input from a pipe, without -f (tail -F log | cxwatch), runs on
# the live loop: SIGHUP reloads the rules keeping every window (C1's
# first failure counts toward the new threshold), SIGUSR1 prints the
# stats, SIGTERM flushes, writes --state (with C2's open window) and
# exits 0.
. "$TOP/tests/e2e/follow-lib.sh"
cp "$TOP/tests/data/e2e.rules" r.rules
mkfifo fifo
: >out
: >err
"$CXWATCH" -r r.rules -C 0 -e 0 --state st <fifo >out 2>err &
pid=$!
# SIGUSR1 until its stats show $1 lines read.
read_up_to() {
	wait_for 100 "kill -USR1 $pid; grep -qs '^  lines read  *$1\$' err" ||
	    echo "$1 lines not read within 10 s"
}
exec 3>fifo
catches $pid 10
line 1 C1 /checkout 502 >&3
read_up_to 1
sed 's/^threshold = 5$/threshold = 4/' "$TOP/tests/data/e2e.rules" >r.rules
kill -HUP $pid
wait_for 100 'grep -qs "rules reloaded" err' || echo "no reload within 10 s"
line 2 C1 /home 500 >&3
wait_for 100 'grep -qs "ALERT C1" out' || echo "no alert within 10 s"
line 3 C2 /checkout 502 >&3
read_up_to 3
kill -TERM $pid
wait $pid; echo "exit $?"
exec 3>&-
cat out
grep 'rules reloaded' err
grep -c '^cxwatch: stats' err | sed 's/^[1-9][0-9]*$/stats printed/'
[ -s st ] && echo "state written"
# The state carries C2's window: one more failure makes the threshold.
printf '2026-11-21T10:00:04Z web C2 /home 500\n' |
    "$CXWATCH" -r r.rules -C 0 -e 0 --state st
echo "exit $?"
