# Sourced by the e2e cases: cx runs the built binary with the e2e rules;
# st prints the exit status of the last command in a golden-friendly way.
cx() { "$CXWATCH" -r "$TOP/tests/data/e2e.rules" "$@"; }
st() { echo "exit $?"; }
# A deadline instead of a sleep: wait up to $1 tenths of a second for $2.
wait_for() {
	n=0
	while ! eval "$2"; do
		n=$((n + 1)); [ "$n" -ge "$1" ] && return 1; sleep 0.1
	done
}
# Wait until process $1 catches signal number $2 (Linux /proc): sent any
# sooner, SIGUSR1 or SIGHUP would kill it. (SIGUSR1 is 10, SIGHUP 1.)
catches() {
	wait_for 100 "m=\$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$1/status 2>/dev/null) && [ \$(( (0x\$m >> ($2 - 1)) & 1 )) -eq 1 ]" ||
	    echo "process $1 does not catch signal $2 within 10 s"
}
