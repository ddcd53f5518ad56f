# Without [detector] sections there is one detector, "default", counting
# every failure rule with [settings]' values: today's alerts, with
# detector=default in them; forgive may name it, or "*".
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%s web C%s %s %s\n' "$1" "$2" "$3" "$4"; }
{ l 00:00 1 /checkout 502; l 00:01 1 /checkout 502; } >a
cx -e 0 a; echo "exit $?"
cx -e 0 -o json a | cut -c1-90
for f in default '*'; do
	sed "\$a\\
\\
[rule ok]\\
source = web\\
if = path == /ok\\
forgive = $f" "$TOP/tests/data/e2e.rules" >r.rules
	{ l 00:00 2 /checkout 502; l 00:01 2 /ok 200; l 00:02 2 /checkout 502; } >b
	"$CXWATCH" -r r.rules -e 0 b; echo "forgive = $f: exit $?"
done
