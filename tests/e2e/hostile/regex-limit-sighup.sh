# Per-rule regex limit counts survive a SIGHUP reload by rule name, and
# a rule already warned about is not warned about again.
. "$TOP/tests/e2e/follow-lib.sh"
cat >r.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>.*)$
time = none
[rule evil]
source = s
match = ^\S+ (a+)+$
R
evil() { printf 'C%s ' "$1"; head -c 40 /dev/zero | tr '\0' a; echo '!'; }
: >log
"$CXWATCH" -r r.rules -f -q log >out 2>err &
pid=$!
opened log 0
evil 1 >>log
wait_for 100 'grep -qs "pattern hit" err' || echo "no warning within 10 s"
sed 's/^\[rule evil\]$/[rule other]\nsource = s\nmatch = ^x\n[rule evil]/' r.rules >r2.rules
mv r2.rules r.rules
kill -HUP $pid
wait_for 100 'grep -qs "rules reloaded" err' || echo "no reload within 10 s"
evil 2 >>log
evil 3 >>log
# SIGUSR1 writes the stats; ask until they count all three lines.
wait_for 100 'kill -USR1 $pid; grep -qs "regex limit rule evil  3" err' ||
    echo "no count of 3 within 10 s"
kill -TERM $pid
wait $pid; echo "exit $?"
grep -c 'pattern hit' err
grep -c 'rules reloaded' err
