# --exec runs for incidents too: their JSON object (with "type") on
# standard input, CX_TIME, CX_RULES (the rule), CX_CHANNELS (its channel)
# and CX_SCORE (the customers), CX_CUSTOMER and CX_DETECTOR empty; an
# alert's run gets the incident ids in its JSON. --syslog gets the text
# lines.
. "$TOP/tests/e2e/lib.sh"
need_tool perl
. "$TOP/tests/e2e/incident/day.sh"
cat >rec <<'P'
#!/bin/sh
n=$(ls "$REC".* 2>/dev/null | wc -l)
{ printf 'customer=%s detector=%s time=%s rules=%s channels=%s score=%s\n' \
    "$CX_CUSTOMER" "$CX_DETECTOR" "$CX_TIME" "$CX_RULES" "$CX_CHANNELS" \
    "$CX_SCORE"; cat; } >"$REC.$CX_TIME.$n"
P
chmod +x rec
REC=$PWD/recorded ci -q -e 0 --exec-jobs 1 --exec ./rec day.log; echo "exit $?"
for f in recorded.*; do cat "$f"; done |
    sed 's/"evidence":\[\],//'
perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => "log.sock")
	    or die "socket: $!";
	open(my $r, ">", "ready") or die; close($r);
	for (1 .. 5) { $s->recv(my $m, 8192); print "$m\n"; }
' >syslog &
sp=$!
wait_for 100 '[ -e ready ]' || echo "no syslog listener within 10 s"
ci -q -e 0 --syslog --syslog-socket log.sock day.log; echo "exit $?"
wait $sp
sed 's/^<[0-9]*>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* cxwatch\[[0-9]*\]: //' syslog
