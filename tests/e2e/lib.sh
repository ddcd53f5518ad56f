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
