# Without -r: $CXWATCH_RULES, else ./rules (in the source tree).
. "$TOP/tests/e2e/lib.sh"
CXWATCH_RULES=$TOP/tests/data/e2e.rules "$CXWATCH" -t | tail -1
mkdir rules && cp "$TOP/tests/data/e2e.rules" rules/x.rules
"$CXWATCH" -t | tail -1
