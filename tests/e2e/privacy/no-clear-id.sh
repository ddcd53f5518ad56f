# Issue 15's sweep: on the sample day with --pseudonymize and every
# redaction class, no byte stream cxwatch writes holds a clear customer
# id of the input: stdout (text and JSON), stderr, --report in text, JSON
# and HTML, --exec's standard input and environment, the syslog
# datagrams, the --state file and -x. The ids are those cxwatch reads
# from the day without a key (-x), anonymous "-" aside; an id counts
# where grep -w finds it. Then the pseudonyms are there instead: the
# sweep cannot pass on empty output.
. "$TOP/tests/e2e/lib.sh"
need_tool python3 grep
S=$TOP/tests/data/sample
mkdir r
cp "$TOP"/rules/*.rules r/
printf '[redact]\nclasses = all\n' >r/90-privacy.rules
head -c 32 /dev/urandom >key
chmod 600 key
"$CXWATCH" -r r -x "$S"/web.log "$S"/support.log "$S"/billing.log |
    grep -o ' customer=[^ ]*' | sed 's/^ customer=//' | grep -vx -- - |
    sort -u >ids
echo "ids: $(wc -l <ids)"
k() { "$CXWATCH" -r r --pseudonymize key "$@"; }
cat >rec <<'P'
#!/bin/sh
n=$(ls "$REC".* 2>/dev/null | wc -l)
{ env | grep '^CX_'; cat; } >"$REC.$n"
P
chmod +x rec
k "$S"/web.log "$S"/support.log "$S"/billing.log >out.text 2>err.text
k -o json "$S"/web.log "$S"/support.log "$S"/billing.log >out.json 2>>err.text
k -x "$S"/web.log "$S"/support.log "$S"/billing.log >out.x 2>>err.text
k -s --state st "$S"/web.log "$S"/support.log "$S"/billing.log >/dev/null \
    2>>err.text
for f in text json html; do
	k -q --report rep.$f --report-format $f \
	    "$S"/web.log "$S"/support.log "$S"/billing.log 2>>err.text
done
REC=$PWD/exec k -q --exec ./rec --exec-jobs 1 \
    "$S"/web.log "$S"/support.log "$S"/billing.log 2>>err.text
na=$(grep -c -e '^[^ ].* ALERT ' -e '^[^ ].* INCIDENT' out.text)
cat >listen.py <<'P'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("log.sock")
open("ready", "w").close()
s.settimeout(20)
for i in range(int(sys.argv[1])):
    sys.stdout.buffer.write(s.recv(65536) + b"\n")
    sys.stdout.flush()
P
python3 listen.py "$na" >out.syslog &
lpid=$!
wait_for 100 '[ -f ready ]' || echo "no listener"
k -q --syslog --syslog-socket log.sock \
    "$S"/web.log "$S"/support.log "$S"/billing.log 2>>err.text
wait $lpid
echo "alerts and incidents: $na; exec runs: $(ls exec.* | wc -l);" \
    "syslog datagrams: $(grep -c . out.syslog)"
for f in out.text out.json out.x err.text st rep.text rep.json rep.html \
    exec.* out.syslog; do
	if grep -a -w -F -f ids "$f" >leak; then
		echo "$f: clear ids: $(head -c 300 leak)"
	fi
done
# The pseudonyms are where the ids were.
kid=$(k -t | sed -n 's/^pseudonyms: key //p')
for f in out.text out.json st rep.text rep.json rep.html exec.0 out.syslog; do
	grep -a -q -- "$kid-[0-9a-f]\{32\}" "$f" || echo "$f: no pseudonym"
done
# The control: without a key the same sweep finds them.
"$CXWATCH" -r r "$S"/web.log "$S"/support.log "$S"/billing.log >clear.text
grep -a -w -F -f ids clear.text | grep -c ALERT
echo "sweep done"
