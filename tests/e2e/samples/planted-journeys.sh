# The shipped rules on the shipped sample day: every planted bad journey
# marked "alert" raises exactly one alert, the "quiet" ones and all the
# healthy customers none.
S=$TOP/tests/data/sample
"$CXWATCH" -r "$TOP/rules" "$S/web.log" "$S/support.log" "$S/billing.log" >alerts
echo "exit $?"
grep ALERT alerts | awk '{ print $3 }' | sort >alerted
while read -r id story expect start; do
	n=$(grep -c -x "$id" alerted)
	echo "$id $story $expect: $n"
done <"$S/planted.txt"
echo "alerts in all: $(wc -l <alerted)"
echo "planted to alert: $(grep -c ' alert ' "$S/planted.txt")"
