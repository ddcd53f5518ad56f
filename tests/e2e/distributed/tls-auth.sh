# --nats-tls-ca, --nats-tls-cert and --nats-tls-key, and --nats-auth,
# against a nats-server with TLS that verifies its clients' certificates
# (a CA, a server and a client certificate made here with openssl) and
# wants a user and password; then one that wants a token. Both stages
# use them; what is missing or wrong is said, naming the server and
# what to do, at once (no retrying a refusal).
. "$TOP/tests/e2e/lib.sh"
NATS=/usr/sbin/nats-server
need_tool "$NATS" jq python3 openssl
S=$TOP/tests/data/sample
tool() { python3 "$TOP/tests/e2e/nats-tool.py" "$@"; }
alerts() { jq -S -c 'select(.type == null)' | sort; }
norm() { sed 's/127\.0\.0\.1:[0-9]*/SERVER/g'; }
ssl() { openssl "$@" >/dev/null 2>&1 || echo "openssl $1 failed"; }
ssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
    -subj /CN=cxwatch-test-ca
for who in server client; do
	ssl req -newkey rsa:2048 -nodes -keyout "$who.key" -out "$who.csr" \
	    -subj "/CN=$who"
	printf 'subjectAltName=IP:127.0.0.1\n' >ext
	ssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -out "$who.pem" -days 2 -extfile ext
done
# Another CA, which signed nothing of this server's.
ssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem \
    -days 2 -subj /CN=other-ca
pids=
# srv NAME: a server of NAME.conf; its port in $port.
srv() {
	"$NATS" -c "$1.conf" -js -sd "js$1" -a 127.0.0.1 -p -1 -l "$1.log" &
	pids="$pids $!"
	wait_for 100 "grep -q 'Server is ready' $1.log 2>/dev/null" ||
	    { echo "nats-server did not start"; cat "$1.log"; }
	port=$(sed -n 's/.*Listening for client connections on 127.0.0.1:\([0-9]*\).*/\1/p' "$1.log")
}
trap 'kill $pids 2>/dev/null' EXIT
cat >tls.conf <<'C'
tls { cert_file: "server.pem", key_file: "server.key", ca_file: "ca.pem", verify: true }
authorization { user: cx, password: "s3cret pass" }
C
cat >token.conf <<'C'
authorization { token: "t0ken-of-cx" }
C
srv tls
TP=$port
srv token
KP=$port
printf 'cx:s3cret pass\n' >auth
printf 'cx:wrong\n' >bad
printf 't0ken-of-cx\n' >token
chmod 600 auth bad token
tlsopts="--nats-tls-ca ca.pem --nats-tls-cert client.pem --nats-tls-key client.key"
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx -o json "$S/web.log" | alerts >local
# Both stages over TLS, with the user and password.
cx --emit "nats://127.0.0.1:$TP" $tlsopts --nats-auth auth --producer web \
    "$S/web.log"
echo "TLS producer: exit $?"
cx -o json --consume "nats://127.0.0.1:$TP" $tlsopts --nats-auth auth \
    --producers 1 | alerts | cmp -s local - &&
    echo "TLS consumer: the local run's $(wc -l <local) alerts"
# What goes wrong is said.
t() { what=$1; shift; "$@" 2>err >/dev/null; r=$?; norm <err; echo "$what: exit $r"; }
t "no TLS" cx --emit "nats://127.0.0.1:$TP" --nats-auth auth "$S/web.log"
t "another CA" cx --emit "nats://127.0.0.1:$TP" --nats-tls-ca other.pem \
    --nats-tls-cert client.pem --nats-tls-key client.key --nats-auth auth \
    "$S/web.log"
t "no client certificate" cx --emit "nats://127.0.0.1:$TP" \
    --nats-tls-ca ca.pem --nats-auth auth "$S/web.log"
t "wrong password" cx --emit "nats://127.0.0.1:$TP" $tlsopts \
    --nats-auth bad "$S/web.log"
t "consumer without credentials" cx --consume "nats://127.0.0.1:$TP" \
    $tlsopts
t "no such file" cx --emit "nats://127.0.0.1:$TP" $tlsopts \
    --nats-auth nosuch "$S/web.log"
t "no such CA file" cx --emit "nats://127.0.0.1:$TP" \
    --nats-tls-ca nosuch.pem "$S/web.log"
t "a certificate without its key" cx --emit "nats://127.0.0.1:$TP" \
    --nats-tls-cert client.pem "$S/web.log"
# A token.
cx --emit "nats://127.0.0.1:$KP" --nats-auth token --producer web "$S/web.log"
echo "token producer: exit $?; events: $(NATS_TOKEN=t0ken-of-cx tool events \
    "$KP" cxwatch)"
t "wrong token" cx --emit "nats://127.0.0.1:$KP" --nats-auth bad "$S/web.log"
t "no token" cx --emit "nats://127.0.0.1:$KP" "$S/web.log"
