# Invalid UTF-8: an overlong "/" (C0 AF), a surrogate (ED A0 80) and a
# code point past U+10FFFF (F4 90 80 80). Patterns run on bytes: "."
# is one byte, so the bad sequences match like any bytes. A (*UTF)
# pattern never matches an invalid byte (not even with . or \S) but
# still matches valid text around it, and valid multibyte characters
# match \S (PCRE2 10.42's JIT got that wrong: such patterns run
# without JIT there). Output escapes the bad bytes (text) or replaces
# them (JSON).
. "$TOP/tests/e2e/lib.sh"
cat >u.rules <<'R'
[source u]
match = (*UTF)^u (?<time>\S+) (?<customer>\S+) (?<path>\S+)
time = iso8601
[source b]
match = ^b (?<time>\S+) (?<customer>\S+) (?<path>\S+)$
time = iso8601
[rule u-one]
source = u
if = path ~ (*UTF)^/x.$
[rule u-any]
source = u
match = .
[rule b-three]
source = b
if = path ~ ^/x...$
[rule b-any]
source = b
match = .
R
T=2026-11-21T10:00:0
for p in u b; do
	printf '%s %s1Z C\300\257 /x\300\257\n' $p $T
	printf '%s %s2Z C\355\240\200 /x\355\240\200\n' $p $T
	printf '%s %s3Z C\364\220\200\200 /x\364\220\200\200\n' $p $T
	printf '%s %s4Z C\303\251 /x\303\251\n' $p $T
	printf '%s %s5Z C\303\251 /x\300\257 tail\n' $p $T
done >in
"$CXWATCH" -r u.rules -x in
st
"$CXWATCH" -r u.rules -T 1 -e 1 -o json in | grep -c '"customer":"C\\ufffd'
