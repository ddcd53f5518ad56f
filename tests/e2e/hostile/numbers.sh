# Field values that look like numbers, against numeric conditions. A
# number is decimal with an optional sign, fraction and exponent, at
# most 63 bytes: nan, inf, 0x10, 1_000, " 5", "5 ", "" and 1e309 (too
# large) are not numbers, so < <= > >= are false for them and == !=
# compare them as strings. -0 is a number equal to 0; 1e-400 is 0;
# +5 and 5. equal 5.
. "$TOP/tests/e2e/lib.sh"
cat >n.rules <<'R'
[source s]
match = ^(?<time>\S+) (?<customer>\S+) v=(?<v>.*)$
time = iso8601
[rule eq0]
source = s
if = v == 0
[rule eqstr]
source = s
if = v == nan
[rule gt]
source = s
if = v > 5
[rule lt]
source = s
if = v < 5
[rule other]
source = s
if = v != 5
R
n=0
for v in 1e309 -1e309 nan NaN inf -inf -0 0x10 1_000 ' 5' '5 ' '' +5 .5 5. \
    1e-400 1e308 0.0 "$(printf '%063d' 6)" "$(printf '%064d' 6)"; do
	n=$((n + 1))
	printf '2026-11-21T10:00:00Z C%d v=%s\n' $n "$v"
done >in
"$CXWATCH" -r n.rules -x in | sed 's/ time=[^ ]*//'
st
