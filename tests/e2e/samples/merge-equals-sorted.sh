# Three inputs merged by time give the same alerts as one input holding
# the same lines in the merged order (rebuilt here from -x, which names
# each line's file and number in the order they were processed).
. "$TOP/tests/e2e/lib.sh"
S=$TOP/tests/data/sample
cd "$S" || exit 1
"$CXWATCH" -r "$TOP/rules" web.log support.log billing.log >"$OLDPWD/merged"
"$CXWATCH" -r "$TOP/rules" -x web.log support.log billing.log |
    grep -v '^  =>' | cut -d: -f1,2 >"$OLDPWD/order"
awk -F: 'NR == FNR { want[NR] = $1 ":" $2; n = NR; next }
	{ line[FILENAME ":" FNR] = $0 }
	END { for (i = 1; i <= n; i++) print line[want[i]] }' \
    "$OLDPWD/order" web.log support.log billing.log >"$OLDPWD/sorted.log"
cd "$OLDPWD" || exit 1
echo "lines: $(wc -l <sorted.log)"
"$CXWATCH" -r "$TOP/rules" <sorted.log >single
cmp merged single && echo "same alerts: $(grep -c ALERT single)"
# Read one after another, the support and billing events of the day come
# too late for the customers' web windows: fewer alerts.
"$CXWATCH" -r "$TOP/rules" --no-merge "$S/web.log" "$S/support.log" \
    "$S/billing.log" | grep -c ALERT
# With [incident] (cxwatch.rules(5), semantics 7 to 13): the same
# incidents, and the same ids on the alerts, from the merge as from the
# sorted file.
inc_rules inc 2 30m 1h
(cd "$S" && "$CXWATCH" -r "$OLDPWD/inc" web.log support.log billing.log) \
    >merged
"$CXWATCH" -r inc <sorted.log >single
cmp merged single && echo "same incidents: $(grep -c 'INCIDENT ' single)," \
    "$(grep -c 'incidents=' single) alerts with ids"
