# What a program starts in its process group does not outlive it: when
# the program exits 0, the rest of its group is killed (cxwatch(1) --exec).
. "$TOP/tests/e2e/lib.sh"
printf '#!/bin/sh\nsleep 100 &\necho $! >gpid\nexit 0\n' >leaver
chmod +x leaver
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >in
cx -C 0 -e 0 -q --exec ./leaver -s in 2>stats; st
grep 'exec exit 0' stats
gpid=$(cat gpid)
if wait_for 20 "ended $gpid"; then
	echo "its child is gone"
else
	echo "its child still runs"
	kill -KILL "$gpid"
fi
