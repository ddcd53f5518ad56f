# Rules errors for structured sources (cxwatch.rules(5), [source NAME]),
# all reported in one run with the file and line: an unknown format; an
# unknown key (with a suggestion); bad field paths (an empty key, a
# stray backslash, a control byte) in customer, time, unwrap and if; a
# logfmt key with = in it; time = none in a structured source; timefmt,
# customer and unwrap where they do not apply; a named group in a
# structured source's match; a regex source without match.
printf '[source a]\nformat = xml\n' >bad.rules
cat >>bad.rules <<'R'

[source b]
format = json
custmer = id
customer = data..id
time = a\b
unwrap = log.

[rule b1]
source = b
if = items.0.\x == 1

[source c]
format = logfmt
customer = cu=st
time = none

[source d]
format = json
timefmt = none
match = "type":"(?<kind>[a-z]+)"

[source e]
match = ^(?<customer>\S+) (?<time>\S+)
time = iso8601
timefmt = iso8601
customer = customer
unwrap = log

[source f]
format = logfmt
unwrap = log

[source g]
time = iso8601
R
printf '[source h]\nformat = json\ncustomer = a\001b\n' >>bad.rules
"$CXWATCH" -r bad.rules -t
echo "exit $?"
