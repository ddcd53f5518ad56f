# A rule pattern that backtracks catastrophically on some line hits the
# PCRE2 limits: the line counts as not matching, the stats say so, the
# next line is matched normally, and the run ends at once (the runner's
# timeout would catch a hang).
. "$TOP/tests/e2e/lib.sh"
cat >r.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>.*)$
time = none
[rule evil]
source = s
match = ^\S+ (a+)+$
R
{ printf 'C1 '; head -c 60000 /dev/zero | tr '\0' a; echo '!';
  printf 'C1 '; head -c 30 /dev/zero | tr '\0' a; echo '!'; echo 'C2 aaa'; } >in
"$CXWATCH" -r r.rules -s -T 1 -e 0 in 2>stats >out
st
sed 's/^[^ ]* ALERT/TIME ALERT/; s/first=[^ ]*/first=TIME/' out
grep -E 'regex limit|events rule' stats
