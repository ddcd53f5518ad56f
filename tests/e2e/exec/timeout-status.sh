# Exit statuses are counted; a program that hangs is killed at
# --exec-timeout; at most --exec-jobs run at once; the alerts still go to
# stdout. A failed or killed program is said (the first three, then a
# count) and makes the exit status 2; one that cannot be started at all
# is a usage error before any input is read.
. "$TOP/tests/e2e/lib.sh"
printf '#!/bin/sh\nexit 3\n' >fail; chmod +x fail
printf '#!/bin/sh\nsleep 100\n' >hang; chmod +x hang
printf '#!/bin/sh\ncat >/dev/null\n' >ok; chmod +x ok
for i in 1 2 3; do
	printf '2026-11-21T10:00:00Z web C%d /checkout 502\n' "$i"
	printf '2026-11-21T10:00:01Z web C%d /checkout 502\n' "$i"
done >in
for i in 4 5; do
	printf '2026-11-21T10:00:00Z web C%d /checkout 502\n' "$i"
	printf '2026-11-21T10:00:01Z web C%d /checkout 502\n' "$i"
done | cat in - >in5
cx -C 0 -e 0 --exec ./ok -s in 2>stats | grep -c ALERT
grep -E 'exec (started|exit 0|failed)' stats
cx -C 0 -e 0 -q --exec ./fail --exec-jobs 1 -s in5 2>stats
st
grep -E 'exec (exit 0|failed)' stats
grep -v '^  ' stats
cx -C 0 -e 0 -q --exec ./hang --exec-timeout 1s --exec-jobs 2 -s in 2>stats
st
grep -E 'exec (started|killed \(timeout\))' stats
grep -v '^  ' stats | sort
cx -C 0 -e 0 --exec ./no-such-program -s in; st
cx --exec-arg x </dev/null; st
