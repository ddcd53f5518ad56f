# --syslog that nobody takes is loud: a socket that is not there, or that
# nobody listens on, is said at the start; messages lost on the way are
# said once, then counted, summed up at the end, and the exit status is 2
# (with -q that is the only sign). The run itself goes on.
. "$TOP/tests/e2e/follow-lib.sh"
cat >listen.pl <<'P'
use Socket;
socket(S, PF_UNIX, SOCK_DGRAM, 0) or die "socket: $!";
bind(S, pack_sockaddr_un($ARGV[0])) or die "bind: $!";
open(R, ">ready") and close(R);
$| = 1;
for (1 .. $ARGV[1]) {
	my $m;
	defined(recv(S, $m, 65536, 0)) or die "recv: $!";
	print "got\n";
}
P
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' \
    '2026-11-21T10:00:00Z web C2 /checkout 502' \
    '2026-11-21T10:00:01Z web C2 /checkout 502' >in
echo "-- no socket"
cx -C 0 -e 0 -q --syslog --syslog-socket nobody.sock in; st
echo "-- a socket nobody listens on"
perl listen.pl dead.sock 0
cx -C 0 -e 0 -q --syslog --syslog-socket dead.sock in; st
echo "-- the listener goes away while following"
rm -f ready
perl listen.pl log.sock 1 >got &
lpid=$!
wait_for 100 '[ -f ready ]' || echo "no listener"
: >log
start -f -C 0 -e 0 --syslog --syslog-socket log.sock log
opened log 0
line 1 C1 /checkout 502 >>log; line 2 C1 /checkout 502 >>log
wait $lpid
cat got
for c in C2 C3; do line 1 $c /checkout 502; line 2 $c /checkout 502; done >>log
wait_for 100 'grep -qs "ALERT C3" out' || echo "no alert C3 within 10 s"
stop
grep -c ALERT out
cat err
