# jsonl and Python's json module read the same real payloads
# (../shared/data/billing: Stripe's API fixtures, Adyen's notifications,
# the pay gem's webhooks), as they are and unwrapped from a Docker log
# line, and agree on every field: its presence, type and decoded value
# (tests/e2e/shared/json-agreement.py). Skipped without ../shared.
. "$TOP/tests/e2e/lib.sh"
need_shared data/billing/stripe/fixtures3-resources.jsonl
need_tool python3
# The build cxwatch belongs to: build/ for ./cxwatch, else its directory.
case $CXWATCH in
"$TOP/cxwatch") B=$TOP/build ;;
*) B=$(dirname "$CXWATCH") ;;
esac
[ -x "$B/tests/jsonl-dump" ] || {
	echo "$B/tests/jsonl-dump is not built (make unit builds it)" >&2
	exit 1
}
python3 "$TOP/tests/e2e/shared/json-agreement.py" "$SHARED/data/billing" \
    "$B/tests/jsonl-dump"
