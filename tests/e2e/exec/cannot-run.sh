# A program that cannot be started is a usage error, said with its path
# and why, before any input is read (no alert, no state written). One that
# goes missing while cxwatch runs is said once, with the errno its child
# got from execve (not a bare 127: a program's own exit 127 is its status),
# counted in -s, and makes the exit status 2.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >in
printf '#!/bin/sh\nexit 0\n' >noexec; chmod 644 noexec
mkdir adir
for p in ./missing ./noexec ./adir cxwatch-no-such-program; do
	cx -C 0 -e 0 --state st --exec "$p" in; st
done
[ -e st ] && echo "state written" || echo "no state written"
printf '#!/bin/sh\nexit 127\n' >e127; chmod +x e127
cx -C 0 -e 0 -q --exec ./e127 in; st
printf '#!/bin/sh\ncat >/dev/null\n' >hook; chmod +x hook
# cxwatch opens the FIFO after its start-up check; our open returns then.
mkfifo fifo
cx -C 0 -e 0 -q --exec ./hook --exec-jobs 1 -s fifo 2>err &
pid=$!
exec 3>fifo
rm hook
for c in C1 C2 C3; do
	printf '2026-11-21T10:00:00Z web %s /checkout 502\n' $c
	printf '2026-11-21T10:00:01Z web %s /checkout 502\n' $c
done >&3
exec 3>&-
ends_within $pid 100
echo "exit $ended"
grep -v '^  ' err
grep -E 'exec (started|exit 0|failed|not run)' err
