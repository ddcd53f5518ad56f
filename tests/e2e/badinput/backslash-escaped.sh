# A backslash is escaped too (\\), so the text "A\x1bB" and a real ESC
# between A and B never print alike: not in text alerts and their
# evidence lines, -x, syslog or CX_CUSTOMER.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
for c in 'A\x1bB' "$(printf 'A\033B')"; do
	printf '2026-11-21T10:00:00Z web %s /checkout\\x07 502\n' "$c"
	printf '2026-11-21T10:00:01Z web %s /checkout\007 502\n' "$c"
done >in
cx -C 0 -e 2 in
st
cx -C 0 -e 0 in | awk '{ print $3 }' | sort -u | wc -l
cx -x in | grep -v '=>' | sed 's/ time=.*//'
cat >hook <<'H'
#!/bin/sh
printf '%s\n' "$CX_CUSTOMER" >>"$HOOK_LOG"
H
chmod +x hook
HOOK_LOG=$PWD/env3 cx -C 0 -q --exec ./hook --exec-jobs 1 in
sort env3
cat >listen.py <<'P'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("log.sock")
open("ready", "w").close()
s.settimeout(10)
for i in range(int(sys.argv[1])):
    m = s.recv(65536).decode("utf-8", "replace")
    sys.stdout.write(m[m.index("]: ") + 3:].split(" score=")[0] + "\n")
    sys.stdout.flush()
P
python3 listen.py 2 >got &
lpid=$!
wait_for 100 '[ -f ready ]' || echo "no listener"
cx -C 0 -q --syslog --syslog-socket log.sock in
wait $lpid
sort got
