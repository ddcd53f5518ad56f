# -t summarises json and logfmt sources: format, channel, the customer
# and time fields and how the time is written, unwrap, whether a match
# pattern guards the claim, and every field the source reads (customer,
# time and the fields its rules' if conditions name, in that order),
# with bytes outside printable ASCII written \xHH; the shipped rules too.
cat >t.rules <<'R'
[source k8s]
format = json
unwrap = log
customer = data.object.customer
time = created
timefmt = epoch
match = "stream":"stdout"
channel = billing

[rule r]
source = k8s
if = items.0.code == x
if = data.object.customer ~ ^cus_

[source desk]
format = logfmt
timefmt = none

[rule d]
source = desk
if = événement == x
R
"$CXWATCH" -t -r t.rules
echo "exit $?"
cd "$TOP" && "$CXWATCH" -t -r rules | grep '^source '
