# Terminal escapes, C1 controls and bidi overrides reach no output raw:
# not JSON alerts, not -x's account of a bad time, not the warning about
# a pattern's limit (which names the input file), not the errors about a
# rules file. (badinput/terminal-escapes covers text alerts and -x.)
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1\033]0;pwned\007 /checkout\033[2J 502\n2026-11-21T10:00:01Z web C1\033]0;pwned\007 /checkout\302\233 502\n2026-11-21T10:00:02Z web C2 /x\342\200\256 502\n2026-11-21T10:00:0\033[2J web C3 /x 502\n' >in
cx -C 0 -e 3 -o json in
cx -x in | tail -n 1
# A file name with an escape in it, in the one-time limit warning.
cat >r.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>.*)$
time = none
[rule evil]
source = s
match = ^\S+ (a+)+$
R
{ printf 'C1 '; head -c 40 /dev/zero | tr '\0' a; echo '!'; } >"$(printf 'in\033[2J')"
"$CXWATCH" -r r.rules -q in* 2>err
st
cat err
# A rules file with escapes in a key, a section name and a value.
printf '[settings]\nwin\033]0;x\007dow = 5m\n[rule r\033[2J]\nsource = s\n[source s]\nmatch = (\nmatch\302\233 = x\n' >bad.rules
"$CXWATCH" -t -r bad.rules
st
# Nothing above wrote a raw ESC, BEL or C1 byte.
{ cx -C 0 -o json in; cx -x in; "$CXWATCH" -r r.rules -q in* 2>&1
  "$CXWATCH" -t -r bad.rules 2>&1; } | od -An -tx1 | grep -cE ' (1b|07)|c2 9b' || true
