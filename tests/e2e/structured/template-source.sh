# A template source (cxwatch.rules(5), [source NAME] template, SEMANTICS 1
# and 2, Structured sources): fields by the first template a line fits,
# absent fields (empty, so "rt >= 3" does not hold), the shortest run up
# to the text after a field, a template that ends with text ending the
# line, a line that fits none going on to the next source, customer and
# time under other names, timefmt, a raw-line match, hostile bytes shown
# escaped by -x, and -t's summary.
cat >t.rules <<'R'
[source web]
format = template
template = $ip $user [$when] "$method $path $protocol" $status $rt
template = $ip $user [$when] "$request" $status
customer = user
time = when
timefmt = clf
anonymous = -

[rule slow]
source = web
if = rt >= 3

[rule err]
source = web
if = status >= 500

[rule bad-request]
source = web
if = request ~ ^-$
if = status == 400

[source app]
format = template
match = ^app
template = app $customer $ts $what
timefmt = iso8601
time = ts

[rule crash]
source = app
if = what ~ crash
R
cat >in.log <<'L'
1.2.3.4 C1 [21/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 4.5
1.2.3.4 C1 [21/Nov/2026:10:00:01 +0000] "GET /a b HTTP/1.1" 502 0.1
1.2.3.4 C2 [21/Nov/2026:10:00:02 +0000] "-" 400
1.2.3.4 C2 [21/Nov/2026:10:00:03 +0000] "GET / HTTP/1.1" 500
1.2.3.4 C2 [21/Nov/2026:10:00:04 +0000] "GET / HTTP/1.1" 500 
1.2.3.4 - [21/Nov/2026:10:00:05 +0000] "GET / HTTP/1.1" 500 1
1.2.3.4 C3 [21/Nov/2026:10:00:06 +0000] "GET /<script> HTTP/1.1" 503 x
1.2.3.4 C3 [not a time] "GET / HTTP/1.1" 503 1
1.2.3.4  [21/Nov/2026:10:00:07 +0000] "GET / HTTP/1.1" 503 1
app C4 2026-11-21T10:00:08Z the app crashed
app C4 2026-11-21T10:00:09Z
garbage
L
printf '1.2.3.4 C5 [21/Nov/2026:10:00:10 +0000] "GET /\033[31m HTTP/1.1" 504 \001\n' >>in.log
"$CXWATCH" -r t.rules -t
echo "exit $?"
"$CXWATCH" -r t.rules -x in.log
echo "exit $?"
"$CXWATCH" -r t.rules -s -T 1 in.log 2>stats
echo "exit $?"
grep -E 'lines (source|unmatched|bad time|no customer|anonymous|unparsable)|^  events rule' stats
# Rules errors, all in one run with file and line: no template; a bad $;
# two fields with nothing between; a field named twice; customer and time
# not fields of the templates, or of only one of them; unwrap; template in
# a regex source; an if on a field no template has; time = none.
cat >bad.rules <<'R'
[source a]
format = template

[source b]
format = template
template = $ip $ $customer
template = $ip$customer [$time]
template = $customer $customer [$time]
template = $customer [$time] $x
template = $customer $other
unwrap = log

[source c]
format = template
template = $who [$time]

[source d]
match = ^(?<customer>\S+) (?<time>\S+)
time = iso8601
template = $customer $time

[rule d1]
source = b
if = nosuch == 1

[source e]
format = template
template = $customer
time = none
R
"$CXWATCH" -r bad.rules -t
echo "exit $?"
