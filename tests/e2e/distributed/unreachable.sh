# --emit when the server is not there: at the start the producer says so
# once and tries again every second (SIGTERM ends the wait at once, with
# nothing saved by --state); once a server answers, every event arrives.
# A server that goes away under a live producer (-f) is waited for too:
# the lines written meanwhile are published once it is back, and -s
# counts the attempts, the connection lost and what was sent again.
. "$TOP/tests/e2e/lib.sh"
NATS=/usr/sbin/nats-server
need_tool "$NATS" jq python3
S=$TOP/tests/data/sample
tool() { python3 "$TOP/tests/e2e/nats-tool.py" "$@"; }
alerts() { jq -S -c 'select(.type == null)' | sort; }
norm() { sed 's/127\.0\.0\.1:[0-9]*/SERVER/g; s/([0-9]* attempts)/(N attempts)/'; }
Q=$(tool port)
U=nats://127.0.0.1:$Q
srv() {
	"$NATS" -js -sd js -a 127.0.0.1 -p "$Q" -l "nats$1.log" &
	npid=$!
	wait_for 100 "grep -q 'Server is ready' nats$1.log 2>/dev/null" ||
	    { echo "nats-server did not start"; cat "nats$1.log"; }
}
trap '[ -n "$npid" ] && kill "$npid" 2>/dev/null' EXIT
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx -o json "$S/web.log" | alerts >local
# SIGTERM while no server answers.
"$CXWATCH" -r "$TOP/rules" --emit "$U" --state st "$S/web.log" 2>term.err &
p=$!
wait_for 100 "grep -qs 'trying again' term.err" || echo "no word of retrying"
kill -TERM "$p"
ends_within "$p" 20
echo "SIGTERM while waiting: exit $ended within 2 s; state file:" \
    "$([ -e st ] && echo saved || echo none)"
norm <term.err
# The server comes after the producer.
"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject late --producer web \
    -s "$S/web.log" 2>late.err &
p=$!
wait_for 100 "grep -qs 'trying again' late.err" || echo "no word of retrying"
srv 1
ends_within "$p" 200
a=$(sed -n 's/^emit retries: \([0-9]*\) connection attempts failed.*/\1/p' late.err)
echo "server late: exit $ended; attempts counted: $([ "${a:-0}" -gt 0 ] &&
    echo yes || echo "no: $(grep ^emit late.err)")"
all=$(tool events "$Q" late)
"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --emit-subject late \
    --producers 1 | alerts | cmp -s local - &&
    echo "server late: $all events, the local run's $(wc -l <local) alerts"
# The server goes away under a live producer, and comes back.
# (Not n: wait_for counts with it.)
lines=$(wc -l <"$S/web.log")
head -n $((lines / 2)) "$S/web.log" >web.log
"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject gone --producer web \
    -s -f --from-start web.log 2>gone.err &
p=$!
catches "$p" 10
wait_for 100 '[ "$(tool events "$Q" gone)" -gt 0 ]' ||
    echo "no event before the server went"
kill -TERM "$npid"
wait "$npid"
npid=
tail -n +$((lines / 2 + 1)) "$S/web.log" >>web.log
# The producer has read the file (SIGUSR1: its counters now).
wait_for 100 "kill -USR1 $p; grep -q 'lines read  *$lines\$' gone.err" ||
    echo "the producer did not read the lines"
srv 2
wait_for 200 '[ "$(tool events "$Q" gone 2>/dev/null)" = "$all" ]' ||
    echo "not every event arrived: $(tool events "$Q" gone) of $all"
kill -TERM "$p"
ends_within "$p" 100
r=$(grep '^emit retries' gone.err)
l=$(echo "$r" | sed -n 's/.*, \([0-9]*\) connections lost.*/\1/p')
echo "server gone and back: exit $ended; connection lost counted:" \
    "$([ "${l:-0}" -ge 1 ] && echo yes || echo "no: $r")"
"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --emit-subject gone \
    --producers 1 | alerts | cmp -s local - &&
    echo "server gone and back: the local run's $(wc -l <local) alerts"
