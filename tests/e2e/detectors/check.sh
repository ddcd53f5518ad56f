# -t lists each detector after the settings: its window, threshold,
# cooldown and channels (its own, else [settings]' after -w, -T, -c and
# -C), its "rules" as written and how many failure rules they match.
# Each rule line names the detectors it counts in, or for a forgiving
# rule what it forgives; a failure rule that counts in no detector brings
# a warning on stderr, and the exit status stays 0.
. "$TOP/tests/e2e/lib.sh"
cat >d.rules <<'R'
[settings]
window    = 30m
threshold = 10
cooldown  = 2h
channels  = 3

[detector payments]
rules     = pay-* charge-duplicated
window    = 15m
threshold = 4
cooldown  = 6h

[detector journey]

[source billing]
match = ^(?<time>\S+) (?<customer>\S+) (?<event>\S+)
time = iso8601

[rule pay-failed]
source = billing
if = event == payment.failed
weight = 2

[rule charge-duplicated]
source = billing
if = event == charge.duplicated
weight = 5

[rule payment-succeeded]
source = billing
if = event == payment.succeeded
forgive = payments

[rule refunded]
source = billing
if = event == charge.refunded
forgive = *
R
"$CXWATCH" -t -r d.rules
st
echo "-- -w 1h -T 7 -c 1d -C 0: only what payments leaves out"
"$CXWATCH" -t -w 1h -T 7 -c 1d -C 0 -r d.rules >out
st
grep -e '^settings' -e '^detector' out
echo "-- a rule no detector counts"
sed 's/^\[detector journey\]$/[detector journey]\nrules = pay-failed/' \
    d.rules >nowhere.rules
cat >>nowhere.rules <<'R'

[rule dispute]
source = billing
if = event == dispute.created
R
"$CXWATCH" -t -r nowhere.rules >out
st
grep -e '^detector' -e '^rule' out
echo "-- no [detector]: as before, and forgive names default"
sed '/^\[detector/,/^$/d' d.rules | sed 's/^forgive = payments$/forgive = default/' >one.rules
"$CXWATCH" -t -r one.rules
st
