# Escape sequences, C1 controls and bidi overrides in log lines never
# reach the terminal raw, in alerts or in -x.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1\033]0;pwned\007 /checkout\033[2J 502\n2026-11-21T10:00:01Z web C1\033]0;pwned\007 /checkout\302\233 502\n2026-11-21T10:00:02Z web C1\033]0;pwned\007 /checkout\342\200\256x 502\n' >in
cx -C 0 -e 3 in
cx -x in
cx -C 0 -e 3 in | tr -d '\n' | od -An -c | grep -c '033' || true
