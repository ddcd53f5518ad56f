# SIGTERM with --exec programs running and queued: --state is saved first,
# the queued alerts are dropped and said, a running program gets 3 s to
# end and is then killed with its group; the exit status is 2. A program
# that ends within the grace is not killed. A second SIGTERM cuts the
# grace short.
. "$TOP/tests/e2e/follow-lib.sh"
printf '#!/bin/sh\necho "$CX_CUSTOMER" >>started\nsleep 100\n' >hang
# brief ends once the test says go (after the SIGTERM), within 10 s.
cat >brief <<'B'
#!/bin/sh
echo "$CX_CUSTOMER" >>started
n=0; while [ ! -f go ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
echo "$CX_CUSTOMER" >>done
B
chmod +x hang brief
# $1: the program; $2: once or twice (SIGTERMs); $3: tenths of a second
# the run has to end after the first.
run() {
	rm -f log st started done go; : >log
	start -f -q -C 0 -e 0 --state st --exec "$1" --exec-jobs 1 -s log
	opened log 0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		line 1 C$i /checkout 502; line 2 C$i /checkout 502
	done >>log
	wait_for 100 '[ -s started ]' || echo "no program started"
	kill -TERM $pid
	wait_for 10 '[ -f st ]' && ! ended $pid && echo "state saved first"
	: >go
	[ "$2" = twice ] && kill -TERM $pid
	ends_within $pid "$3"
	echo "exit $ended"
	grep -v '^  ' err
	grep -E '^  exec (started|exit 0|killed|dropped)' err
}
echo "-- a program that hangs: killed after the grace (within 5 s)"
run ./hang once 50
echo "-- a second SIGTERM: killed at once (within 1.5 s)"
run ./hang twice 15
echo "-- a program that ends within the grace"
run ./brief once 50
cat done
