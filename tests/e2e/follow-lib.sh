# Sourced by the follow cases: start cxwatch -f in the background with
# its output in out, and stop it at the end.
. "$TOP/tests/e2e/lib.sh"
start() {
	: >out
	: >err
	"$CXWATCH" -r "$TOP/tests/data/e2e.rules" "$@" >out 2>err &
	pid=$!
}
stop() {
	kill -TERM "$pid"
	wait "$pid"
	echo "exit $?"
}
line() { printf '2026-11-21T10:00:%02dZ web %s %s %s\n' "$1" "$2" "$3" "$4"; }
# Wait until out holds $1 lines of -x account (deadline 10 s).
lines_seen() { wait_for 100 "[ \$(grep -sc '^[^ ]' out) -ge $1 ]" || echo "only $(grep -sc '^[^ ]' out) lines seen"; }
# Has cxwatch ($pid) file $1 open, read up to offset $2? (Linux /proc)
has_open() {
	for fd in /proc/$pid/fd/*; do
		[ "$(readlink "$fd" 2>/dev/null)" = "$PWD/$1" ] || continue
		grep -q "^pos:[[:space:]]*$2\$" "/proc/$pid/fdinfo/${fd##*/}" &&
		    return 0
	done
	return 1
}
# Wait until it has: a test's lines must not race its start.
opened() { wait_for 100 "has_open $1 $2" || echo "$1 not at $2 within 10 s"; }
[ -d /proc/self/fdinfo ] || { echo "no /proc/PID/fdinfo" >&2; exit 77; }
