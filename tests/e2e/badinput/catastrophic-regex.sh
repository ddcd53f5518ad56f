# A rule pattern that backtracks catastrophically on some line hits the
# PCRE2 limits: the line counts as not matching, the stats say so (in
# all and for that rule), the next line is matched normally, and the run
# ends at once (the runner's timeout would catch a hang). The first such
# line brings one warning naming the rule, where it is written and the
# line; later ones are only counted.
. "$TOP/tests/e2e/lib.sh"
cat >r.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>.*)$
time = none
[rule evil]
source = s
match = ^\S+ (a+)+$
[rule fine]
source = s
if = rest ~ ^a+!$
R
{ printf 'C1 '; head -c 60000 /dev/zero | tr '\0' a; echo '!';
  printf 'C1 '; head -c 30 /dev/zero | tr '\0' a; echo '!'; echo 'C2 aaa'; } >in
"$CXWATCH" -r r.rules -s -T 1 -e 0 in 2>stats >out
st
sed 's/^[^ ]* ALERT/TIME ALERT/; s/first=[^ ]*/first=TIME/' out
grep -E 'regex limit|events rule' stats
grep -v '^  ' stats | grep -v '^cxwatch: stats'
# The same for a source's own pattern, and an "if ~": one warning each.
cat >s.rules <<'R'
[source slow]
match = ^(?<customer>C\d) (x+x+)+y
time = none
[source s]
match = ^(?<customer>\S+) (?<rest>.*)$
time = none
[rule cond]
source = s
if = rest ~ ^(b|bb)+$
R
{ for i in 1 2 3; do printf 'C%d ' $i; head -c 40 /dev/zero | tr '\0' x; echo '!y'; done
  for i in 1 2; do printf 'D%d ' $i; head -c 40 /dev/zero | tr '\0' b; echo c; done; } >in2
"$CXWATCH" -r s.rules -s -T 9 in2 2>stats2
st
grep -E 'regex limit|lines source' stats2
grep -v '^  ' stats2 | grep -v '^cxwatch: stats'
# No hang: 50 lines of 64000 bytes that each hit the limit end well
# within a generous deadline (about 1 s on a slow machine).
{ printf 'C1 '; head -c 64000 /dev/zero | tr '\0' a; echo '!'; } >one
for i in 1 2 3 4 5 6 7 8 9 10; do cat one one one one one; done >in3
timeout 20 "$CXWATCH" -r r.rules -s -q in3 2>stats3
st
grep -E 'lines regex limit|regex limit rule' stats3
grep -c 'pattern hit' stats3
