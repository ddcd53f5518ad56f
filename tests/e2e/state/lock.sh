# --state is locked for the whole run (STATE.lock beside it, flock(2)):
# a second run on the same state, as two overlapping cron runs would be,
# is refused with exit 2, naming the pid of the first, before reading any
# input, and the state is as the first run leaves it. A run killed with
# SIGKILL holds the lock no more. Holding the lock, a run removes the
# temporary files an interrupted save left beside the state (a kill
# during the save leaves one named as state_save() names them, empty or
# part of a state), and nothing else.
. "$TOP/tests/e2e/follow-lib.sh"
S=$TOP/tests/data/sample
cx1() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx1 -q --state st "$S/web.log"; echo "first: exit $?"
ls
: >log
"$CXWATCH" -r "$TOP/rules" -f --state st log >out 2>err &
pid=$!
wait_for 100 '[ "$(cat st.lock 2>/dev/null)" = "$pid" ]' || echo "no lock within 10 s"
cp st before
cx1 -q --state st "$S/support.log" 2>err2; echo "second: exit $?"
sed "s/(pid $pid /(pid PID /" err2
cmp -s st before && echo "state untouched by the second"
stop
cx1 -q --state st --state-reset "$S/support.log"; echo "after: exit $?"
"$CXWATCH" -r "$TOP/rules" -f --state st log >out 2>err &
pid=$!
wait_for 100 '[ "$(cat st.lock 2>/dev/null)" = "$pid" ]' || echo "no lock within 10 s"
kill -KILL $pid; wait $pid 2>/dev/null
cx1 -q --state st "$S/support.log"; echo "after SIGKILL: exit $?"
# What kills during saves leave, and files that only look alike.
cp st st.tmp-Full01
head -c 100 st >st.tmp-Part02
: >st.tmp-Empty3
echo "not a state" >st.tmp-Notour
cp st st.backup
cp st st.tmp-abc
cp st other.tmp-Abc123
ln -s st st.tmp-Link45
cx1 -q --state st "$S/support.log"; echo "cleaning: exit $?"
ls
