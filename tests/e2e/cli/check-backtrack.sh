# -t warns about each pattern that may backtrack exponentially, naming
# the source or rule, where it is written and the group, on stderr; the
# rules are still good (exit 0). Nested repeats that cannot split a text
# two ways, and the shipped rules, bring no warning.
. "$TOP/tests/e2e/lib.sh"
cat >r.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>(?:\w+\s?)+)$
time = none
[rule evil]
source = s
match = ^\S+ (a+)+$
[rule cond]
source = s
if = rest ~ ^(x|xx)+y
if = rest !~ (.*a){20}$
[rule fine]
source = s
match = ^\S+ (\d+\.)+\d+$
if = rest ~ ^(?:[a-z]+-)*[a-z]+$
R
"$CXWATCH" -t -r r.rules >/dev/null
st
"$CXWATCH" -t -r "$TOP/rules" >/dev/null
st
