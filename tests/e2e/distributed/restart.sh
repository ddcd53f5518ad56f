# --emit with --state: a producer stopped mid-run -- killed with SIGKILL,
# or sent SIGTERM while it waits for acknowledgments -- and run again
# with its state loses nothing and stores no event twice. The server is
# held (SIGSTOP) once it has some of the second run's events, so that
# the producer is blocked with an event in flight (--emit-pending 1, so
# that it goes slowly enough to be caught mid-run) when it is stopped. The first run read the first half of web.log and saved
# its state; the second run is stopped in the second half; the third
# publishes from where the first one's state says, with the same
# message ids, which the stream takes for duplicates.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -s 5 -n 200000 day >/dev/null || exit 1
. "$TOP/tests/e2e/nats-lib.sh"
tool() { python3 "$TOP/tests/e2e/nats-tool.py" "$@"; }
alerts() { jq -S -c 'select(.type == null)' | sort; }
"$CXWATCH" -r "$TOP/rules" -o json day/web.log | alerts >local
all=$("$CXWATCH" -r "$TOP/rules" -s -q --emit "$U" --emit-subject ref \
    --producer web day/web.log 2>&1 | sed -n 's/^emit: \([0-9]*\) events.*/\1/p')
# In the background, "$CXWATCH" itself: $! is then its pid.
emit() { "$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject "$1" \
    --producer web --emit-pending 1 --state "$1.state" -s web.log; }
# stopped NAME SIGNAL: the three runs on stream NAME, the second stopped
# by SIGNAL.
stopped() {
	head -n 30000 day/web.log >web.log
	emit "$1" 2>"$1.1.err" || echo "first run: exit $?"
	n1=$(tool events "$P" "$1")
	tail -n +30001 day/web.log >>web.log
	"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject "$1" \
	    --producer web --emit-pending 1 --state "$1.state" -s web.log \
	    2>"$1.2.err" &
	epid=$!
	got=$(tool stop-at "$P" "$1" $((n1 + 20)) "$npid")
	# Blocked now, its event in flight not acknowledged.
	sleep 0.5
	kill -"$2" "$epid"
	# (The shell says "Killed" of a job SIGKILL ended, or not: not kept.)
	ends_within "$epid" 30 2>/dev/null
	[ "$n1" -lt "$got" ] && [ "$got" -lt "$all" ] &&
	    echo "$1: second run stopped by SIG$2 mid-run: exit $ended" \
	    "within 3 s" ||
	    echo "$1: SIG$2 at $got events: not mid-run ($n1 to $all)"
	kill -CONT "$npid"
	grep -v '^  \|^emit\|: stats$' "$1.2.err" |
	    sed 's/127\.0\.0\.1:[0-9]*/SERVER/; s/; [0-9]* messages not/; N messages not/' 
	emit "$1" 2>"$1.3.err" || echo "third run: exit $?"
	grep -v '^  \|^emit\|: stats$' "$1.3.err"
	n=$(tool events "$P" "$1")
	[ "$n" = "$all" ] && echo "$1: every event stored once" ||
	    echo "$1: $n events stored, not $all"
	"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --emit-subject "$1" \
	    >"$1.json" &
	cpid=$!
	wait_for 200 "[ \"\$(tool events $P $1)\" -gt 0 ] &&
	    [ \"\$(waiting $1-0 2>/dev/null)\" = 0 ]" ||
	    echo "the consumer did not take its messages"
	kill -TERM "$cpid"
	ends_within "$cpid" 100
	alerts <"$1.json" | cmp -s local - &&
	    echo "$1: the local run's $(wc -l <local) alerts" ||
	    alerts <"$1.json" | diff local -
}
stopped killed KILL
# SIGTERM while blocked: said, and the state left as the first run saved
# it.
stopped termed TERM
