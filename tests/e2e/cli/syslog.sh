# --syslog sends each alert's line as one RFC 3164 datagram (facility
# and tag as given) to the syslog socket, with the alerts on stdout too;
# -q leaves syslog only. A syslog that is not there is counted (and said,
# with exit status 2: syslog-lost.sh); the run goes on.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
cat >listen.py <<'P'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("log.sock")
open("ready", "w").close()
s.settimeout(10)
for i in range(int(sys.argv[1])):
    sys.stdout.write(s.recv(65536).decode("utf-8", "replace") + "\n")
    sys.stdout.flush()
P
python3 listen.py 2 >got &
lpid=$!
wait_for 100 '[ -f ready ]' || echo "no listener"
printf '2026-11-21T10:00:00Z web C1\033[2J /checkout 502\n' >in
printf '2026-11-21T10:00:01Z web C1\033[2J /checkout 502\n' >>in
printf '%s\n' '2026-11-21T10:00:00Z web C2 /checkout 502' \
    '2026-11-21T10:00:01Z web C2 /checkout 502' >>in
cx -C 0 -e 0 --syslog --syslog-socket log.sock --syslog-facility local3 \
    --syslog-tag cxw in | grep -c ALERT
wait $lpid
sed -E 's/^(<[0-9]+>)[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} (cxw)\[[0-9]+\]:/\1DATE \2[PID]:/' got
cx -C 0 -e 0 -q --syslog --syslog-socket nobody.sock -s in 2>stats
st
grep 'syslog lost' stats
cx --syslog --syslog-facility nowhere </dev/null; st
