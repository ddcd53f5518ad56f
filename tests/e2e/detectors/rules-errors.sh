# Every detector and forgive error is reported as FILE:LINE: message, in
# file order with the other rules errors, all of them in one run, before
# any input is read; exit 2. Names close to an existing one bring "did
# you mean"; a rule that could not be built is not named again.
. "$TOP/tests/e2e/lib.sh"
mkdir rules
cat >rules/10-billing.rules <<'R'
[source billing]
match = ^(?<time>\S+) (?<customer>\S+) (?<event>\S+)
time = iso8601
[rule pay-failed]
source = billing
if = event == payment.failed
[rule charge-duplicated]
source = billing
if = event == charge.duplicated
[rule payment-succeeded]
source = billing
if = event == payment.succeeded
forgive = paymnts
[rule refund-done]
source = billing
if = event == refund.done
forgive = journey j* default
weight = 2
[rule lost]
source = web
if = status >= 500
R
cat >rules/20-detectors.rules <<'R'
[detector payments]
rules = pay-faild charge-* payment-succeeded card-* refund-* lost
windw = 15m
threshold = 0
[detector payments]
rules = *
[detector journey]
rules = pay-failed,charge-duplicated
colldown = 1h
R
"$CXWATCH" -r rules </dev/null
st
# Without any [detector] section there is one, "default".
cat >one.rules <<'R'
[source billing]
match = ^(?<time>\S+) (?<customer>\S+) (?<event>\S+)
time = iso8601
[rule payment-succeeded]
source = billing
if = event == payment.succeeded
forgive = payments defualt
R
"$CXWATCH" -r one.rules </dev/null
st
# 65 detectors are one too many; naming the 65th brings nothing more.
i=0
while [ $i -le 64 ]; do echo "[detector d$i]"; i=$((i + 1)); done >many.rules
cat >>many.rules <<'R'
[source billing]
match = ^(?<time>\S+) (?<customer>\S+) (?<event>\S+)
time = iso8601
[rule payment-succeeded]
source = billing
if = event == payment.succeeded
forgive = d0 d64
R
"$CXWATCH" -r many.rules </dev/null
st
