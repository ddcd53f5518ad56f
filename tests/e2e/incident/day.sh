# Sourced by the cases of this directory: a short day in the lines of
# tests/data/e2e.rules, with an incident of checkout-5xx that a later line
# ends, one that the cooldown holds back, and one of server-error that
# the end of the input ends. ci runs cxwatch with [incident] added.
l() { printf '2026-11-21T%s web %s %s\n' "$1" "$2" "$3"; }
{
	l 10:00:00Z C1 '/checkout 502'
	l 10:00:30Z C2 '/home 500'
	l 10:01:00Z C2 '/checkout 502'
	l 10:02:00Z C3 '/checkout 502'
	l 10:03:00Z C1 '/checkout 502'
	l 10:04:00Z C4 '/checkout 502'
	l 10:05:00Z C4 '/home 500'
	l 10:14:00Z C5 '/home 500'
	l 10:20:00Z C6 '/checkout 502'
	l 10:21:00Z C7 '/checkout 502'
	l 10:22:00Z C8 '/checkout 502'
	l 10:45:00Z C9 '/checkout 502'
	l 10:46:00Z C10 '/home 500'
	l 10:47:00Z C11 '/home 500'
	l 10:48:00Z C12 '/home 500'
} >day.log
ci() { cx -r "$TOP/tests/e2e/incident/incident.rules" "$@"; }
