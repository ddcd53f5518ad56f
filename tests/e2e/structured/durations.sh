# cxwatch.rules(5), [rule] if, < <= > >=: a duration VALUE (3m, 250ms,
# 1h30m, 1.5s) compares a field written as a duration (419s, 1m2.5s) in
# time; a field that is not a duration (a bare number, empty, 5x, 3m-)
# makes the condition false. Durations in a regex source's fields too.
cat >d.rules <<'R'
[settings]
threshold = 100

[source support]
format = logfmt
timefmt = none

[rule long-wait]
source = support
if = wait >= 3m
if = wait < 1h30m

[rule very-long-wait]
source = support
if = wait >= 1h30m

[rule fast]
source = support
if = wait <= 250ms

[rule medium]
source = support
if = wait > 1.5s

[source web]
match = ^web (?<customer>\S+) (?<took>\S+)$
time = none

[rule slow-page]
source = web
if = took > 2s
R
cat >in.log <<'L'
customer=C1 wait=419s
customer=C1 wait=3m
customer=C1 wait=2m59.999s
customer=C1 wait=1h30m
customer=C1 wait=5400s
customer=C1 wait=1d
customer=C1 wait=250ms
customer=C1 wait=0.25s
customer=C1 wait=1m2.5s
customer=C1 wait=180
customer=C1 wait=
customer=C1 wait=5x
customer=C1 wait=3m-
customer=C1 wait=-3m
web C2 2.5s
web C2 2000ms
web C2 3
L
"$CXWATCH" -r d.rules -x in.log | sed 's/ weight=.*//; s/ customer=.*no rule:.*/ no rule/'
