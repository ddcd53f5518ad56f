# [incident] in the rules: -t shows its values and where it is; every
# mistake is an error at its file and line, all of them in one run.
. "$TOP/tests/e2e/lib.sh"
cp "$TOP/tests/e2e/incident/incident.rules" .
cx -t -r incident.rules | head -n 2
cat >bad.rules <<'R'
[incident]
customers = 0
window    = 2d
cooldown  = soon
treshold  = 3

[incident]
customers = 4
window    = 0s
R
cx -t -r bad.rules
st
printf '[incident]\nwindow = 90s\n' >ok.rules
cx -t -r ok.rules | sed -n 2p
