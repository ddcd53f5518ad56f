# -t summarises the settings, each source and each rule, and exits 0.
. "$TOP/tests/e2e/lib.sh"
cd "$TOP/tests/data" && "$CXWATCH" -t -r e2e.rules
st
