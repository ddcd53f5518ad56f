# The shipped rules on the shipped sample day: every planted bad journey
# marked "alert" raises exactly one alert in each detector planted.txt
# names for it (its fifth column), and nothing else: the "quiet" ones
# (the one forgiven by a payment that went through among them) and all
# the healthy customers raise none.
S=$TOP/tests/data/sample
"$CXWATCH" -r "$TOP/rules" -e 0 "$S/web.log" "$S/support.log" "$S/billing.log" >alerts
echo "exit $?"
awk '{ print $3, $4 }' alerts | sort >alerted
while read -r id story expect start detectors; do
	printf '%s %s %s %s:' "$id" "$story" "$expect" "$detectors"
	for d in journey payments; do
		printf ' %s %s' "$d" "$(grep -c -x "$id detector=$d" alerted)"
	done
	echo
done <"$S/planted.txt"
echo "alerts in all: $(wc -l <alerted)"
echo "planted to alert: $(awk '$5 != "-" { n += split($5, d, ",") } END { print n }' "$S/planted.txt")"
# Without its forgiving rule, the forgiven customer would alert.
f=$(awk '$2 == "forgiven" { print $1 }' "$S/planted.txt")
mkdir r
cp "$TOP"/rules/*.rules r/
sed -i 's/^forgive = payments$/forgive = journey/' r/30-billing.rules
"$CXWATCH" -r r -e 0 "$S/web.log" "$S/support.log" "$S/billing.log" |
    awk -v f="$f" '$3 == f { print "without forgiveness:", $4 }'
