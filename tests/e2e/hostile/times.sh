# Time stamps at the edges. Times are kept in ms as 64-bit numbers, so
# the epoch, years before 1970 and past 2038 (2^31 s) are ordinary;
# years past 9999 are bad times. A leap second (23:59:60) is read as
# the second after 23:59:59. Zone offsets go to +-14:00; +14:01, +99:99
# and minutes of 60 are bad. Month names are read in any case.
. "$TOP/tests/e2e/lib.sh"
cat >t.rules <<'R'
[source iso]
match = ^iso (?<customer>\S+) (?<time>.+)$
time = iso8601
[source clf]
match = ^clf (?<customer>\S+) (?<time>.+)$
time = clf
[source fmt]
match = ^fmt (?<customer>\S+) (?<time>.+)$
time = %b %d %Y %H:%M:%S
[source ep]
match = ^ep (?<customer>\S+) (?<time>.+)$
time = epoch
[rule iso]
source = iso
match = .
[rule clf]
source = clf
match = .
[rule fmt]
source = fmt
match = .
[rule ep]
source = ep
match = .
R
awk '{ sub(/ C /, " C" NR " "); print }' >in <<'L'
iso C 1970-01-01T00:00:00Z
iso C 1969-12-31T23:59:59.999Z
iso C 0001-01-01T00:00:00Z
iso C 2038-01-19T03:14:08Z
iso C 2106-02-07T06:28:16Z
iso C 9999-12-31T23:59:59Z
iso C 10000-01-01T00:00:00Z
iso C 2016-12-31T23:59:60Z
iso C 2016-12-31T23:59:61Z
iso C 2026-11-21T10:00:00+14:00
iso C 2026-11-21T10:00:00-14:00
iso C 2026-11-21T10:00:00+14:01
iso C 2026-11-21T10:00:00-14:01
iso C 2026-11-21T10:00:00+99:99
iso C 2026-11-21T10:00:00+01:60
clf C 21/nov/2026:10:15:09 +0000
clf C 21/NOV/2026:10:15:09 +0000
clf C 21/Nov/2026:10:15:09 +1401
clf C 31/Dec/1969:23:59:59 +0000
clf C 30/Jun/2015:23:59:60 +0000
fmt C nov 21 2026 10:15:09
fmt C DEC 31 2016 23:59:60
ep C 0
ep C -1
ep C 2147483648
ep C 253402300799
ep C 253402300800
ep C 1e9
L
"$CXWATCH" -r t.rules -x -s in 2>stats
st
grep -E 'lines bad time|events  ' stats
