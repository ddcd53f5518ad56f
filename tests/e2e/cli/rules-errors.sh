# Every kind of rules error is reported as FILE:LINE: message, all of
# them in one run, before any input is read; exit 2.
. "$TOP/tests/e2e/lib.sh"
cat >bad.rules <<'R'
[settings]
treshold = 3
window = 10x
[source web]
match = ^(?<customer>\S+) (?<time>\S+
[source web]
match = x
[source notime]
match = ^(?<customer>\S+)
[rule a]
source = nowhere
match = x
[rule b]
source = notime
if = status >= 5
[rule c]
source = notime
weight = 0
match = (
[rule c]
source = notime
match = y
[frobnicate]
R
"$CXWATCH" -r bad.rules </dev/null
st
