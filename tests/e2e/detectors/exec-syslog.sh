# --exec gets the detector in CX_DETECTOR (and in the JSON); --syslog's
# line names it as the text alert does.
. "$TOP/tests/e2e/lib.sh"
command -v perl >/dev/null || { echo "missing tool: perl" >&2; exit 77; }
R=$TOP/tests/data/detectors.rules
l() { printf '2026-11-21T10:%s web C1 %s %s\n' "$1" "$2" "$3"; }
{ l 00:00 /checkout 502; l 01:00 /checkout 502; } >a
cat >rec <<'P'
#!/bin/sh
{ printf '%s %s ' "$CX_DETECTOR" "$CX_CUSTOMER"; sed 's/.*"detector":"\([^"]*\)".*/json=\1/'; } >"$REC.$CX_DETECTOR"
P
chmod +x rec
REC=$PWD/recorded "$CXWATCH" -r "$R" -q -e 0 --exec ./rec a; echo "exit $?"
cat recorded.*
perl -MIO::Socket::UNIX -e '
	my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => "log.sock")
	    or die "socket: $!";
	open(my $r, ">", "ready") or die; close($r);
	for (1 .. 2) { $s->recv(my $m, 8192); print "$m\n"; }
' >syslog &
sp=$!
wait_for 100 '[ -e ready ]' || echo "no syslog listener within 10 s"
"$CXWATCH" -r "$R" -q -e 0 --syslog --syslog-socket log.sock a; echo "exit $?"
wait $sp
sed 's/^<[0-9]*>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* cxwatch\[[0-9]*\]: //' syslog
