# The key file (cxwatch(1), --pseudonymize): a regular file of 32 to
# 4096 bytes that look random, owned by the user or root, mode 600 or
# 400; anything else is refused with exit status 2, naming the file and
# what to do. The key may come from [settings] (relative to its rules
# file), which --pseudonymize overrides; -t shows the key's id;
# --pseudonym-of prints pseudonyms (and needs a key). The pseudonym is
# what openssl(1) computes: the key id, "-", and the first 32 hex digits
# of HMAC-SHA256(key, "cxwatch:v1:" || id).
. "$TOP/tests/e2e/lib.sh"
need_tool openssl od
printf "$(printf '\\%03o' $(seq 0 31))" >key
chmod 600 key
cx --pseudonymize key --pseudonym-of C1234 --pseudonym-of 'alice@example.com'
st
hex=$(od -An -tx1 key | tr -d ' \n')
for id in C1234 alice@example.com; do
	printf 'cxwatch:v1:%s' "$id" |
	    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex" |
	    sed 's/.*= *//' | cut -c1-32
done
printf 'cxwatch:key-id:v1' |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex" |
    sed 's/.*= *//' | cut -c1-8
cx --pseudonymize key -t | grep '^pseudonyms'
# Refused.
chmod 644 key
cx --pseudonymize key --pseudonym-of C1; st
chmod 640 key
cx --pseudonymize key in.log; st
chmod 400 key
cx --pseudonymize key --pseudonym-of C1 >/dev/null; st
head -c 31 /dev/urandom >short; chmod 600 short
cx --pseudonymize short --pseudonym-of C1; st
printf 'passwordpasswordpasswordpassword' >typed; chmod 600 typed
cx --pseudonymize typed --pseudonym-of C1; st
cx --pseudonymize . --pseudonym-of C1; st
cx --pseudonymize nowhere --pseudonym-of C1; st
cx --pseudonymize /dev/null --pseudonym-of C1; st
cx --pseudonym-of C1; st
# In [settings], relative to the rules file; --pseudonymize overrides.
mkdir -p etc/keys
cp key etc/keys/k
cat "$TOP/tests/data/e2e.rules" >etc/r.rules
printf '[settings]\npseudonymize = keys/k\n' >etc/s.rules
"$CXWATCH" -r etc --pseudonym-of C1234; st
chmod 666 etc/keys/k
"$CXWATCH" -r etc --pseudonym-of C1234; st
"$CXWATCH" -r etc --pseudonymize key --pseudonym-of C1234; st
printf '[settings]\npseudonymize =\n' >etc/s.rules
"$CXWATCH" -r etc -t >/dev/null; st
# Owned by someone else (as root here: a file of nobody's).
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	cp key theirs; chmod 600 theirs; chown nobody theirs
	cx --pseudonymize theirs --pseudonym-of C1 2>&1 |
	    sed 's/uid [0-9]*/uid N/g'
else
	echo "the owner check needs root and a user nobody" >&2
	exit 77
fi
