# Syntax errors stop before the sections are checked.
. "$TOP/tests/e2e/lib.sh"
printf '[frobnicate]\nkey = 1\n[source s]\nmatch\n' >bad.rules
"$CXWATCH" -r bad.rules </dev/null
st
"$CXWATCH" -r nowhere.rules </dev/null
st
mkdir empty
"$CXWATCH" -r empty </dev/null
st
