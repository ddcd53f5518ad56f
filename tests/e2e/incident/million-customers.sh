# A million distinct customers failing checkout-5xx within one 9-minute
# stretch of one rule's window: the incident opens at the third, and its
# end counts them with the HyperLogLog estimate past 4096 (marked with
# ~, within 0.2% here), while the rule's window keeps three ids (the
# unit test test_incident holds the bytes to the bound).
. "$TOP/tests/e2e/lib.sh"
awk 'BEGIN { for (i = 0; i < 1000000; i++) { ms = int(i * 540000 / 1000000)
	printf "2026-11-21T10:%02d:%02d.%03dZ web C%07d /checkout 502\n",
	    int(ms / 60000), int(ms % 60000 / 1000), ms % 1000, i } }' |
    cx -r "$TOP/tests/e2e/incident/incident.rules" --max-customers 1000 \
    -s 2>stats
st
grep -E '^  (lines read|alerts|incident|customers (peak|evicted))' stats
