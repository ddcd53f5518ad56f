# A customer id is one field of the text alert line whatever it holds
# (blanks, a tab, quotes, '=', backslashes, control bytes): awk's $3 and
# cut -f3 give it whole, escaped as cxwatch(1) ALERTS says, and undoing
# the escapes gives its bytes back. -x's customer= and CX_CUSTOMER write
# it alike; JSON has it as it is.
. "$TOP/tests/e2e/lib.sh"
cat >desk.rules <<'R'
[settings]
window    = 10m
threshold = 4

[source desk]
match = ^(?<time>[^|]+)\|(?<customer>[^|]+)\|(?<event>[^|]+)$
time = iso8601

[rule abandoned]
source = desk
if = event == abandoned
weight = 2
R
printf '%s\n' 'Value 63' ' lead and trail ' 'say "hi"' '""' 'a=b' \
    'back\slash' 'A\x1bB' 'C\\' >ids
printf 'A\033B\ntab\tid\ncaf\303\251\n' >>ids
n=0
while IFS= read -r id; do
	n=$((n + 1))
	printf '2026-11-21T10:%02d:00Z|%s|abandoned\n' "$n" "$id"
	printf '2026-11-21T10:%02d:30Z|%s|abandoned\n' "$n" "$id"
done <ids >in
"$CXWATCH" -r desk.rules -e 0 in >alerts
st
cat alerts
awk '{ print NF, $3 }' alerts
awk '{ print $3 }' alerts >awk3
cut -d' ' -f3 alerts >cut3
cmp awk3 cut3 && echo "awk and cut agree"
# Reading back: \\ is a backslash, \xHH the byte HH (\u{XXXX} is not
# needed for these ids).
cat >unescape.awk <<'A'
function hex(h) {
	return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + \
	    index("0123456789abcdef", substr(h, 2, 1)) - 1
}
{
	s = $0; out = ""
	while ((i = index(s, "\\")) > 0) {
		out = out substr(s, 1, i - 1)
		c = substr(s, i + 1, 1)
		if (c == "\\") {
			out = out "\\"; s = substr(s, i + 2)
		} else if (c == "x") {
			out = out sprintf("%c", hex(substr(s, i + 2, 2)))
			s = substr(s, i + 4)
		} else {
			print "bad escape in " $0 >"/dev/stderr"; exit 1
		}
	}
	print out s
}
A
awk -f unescape.awk awk3 >back
cmp back ids && echo "the ids read back"
"$CXWATCH" -r desk.rules -x in |
    sed -n 's/.* customer=\([^ ]*\) time=.*/\1/p' | uniq >x3
cmp x3 awk3 && echo "-x writes them alike"
cat >hook <<'H'
#!/bin/sh
printf '%s\n' "$CX_CUSTOMER" >>"$HOOK_LOG"
H
chmod +x hook
HOOK_LOG=$PWD/env3 "$CXWATCH" -r desk.rules -q --exec ./hook \
    --exec-jobs 1 in
st
sort env3 >env3.sorted
sort awk3 | cmp - env3.sorted && echo "CX_CUSTOMER writes them alike"
"$CXWATCH" -r desk.rules -e 0 -o json in |
    sed 's/.*"customer":\(.*\),"reason".*/\1/'
