# A group repeated once per byte over a whole 64 KiB line (--max-line's
# default) is ordinary work, not a runaway: it matches, under the JIT
# stack cxwatch gives PCRE2 (4 MiB; 1 MiB stopped such a group at about
# 32 KiB and counted the line as a limit).
. "$TOP/tests/e2e/lib.sh"
cat >g.rules <<'R'
[source s]
match = ^(?<customer>\S+) (?<rest>(a|b)*)$
time = none
[rule any]
source = s
match = .
R
{ printf 'C1 '; head -c 32700 /dev/zero | tr '\0' a | sed 's/a/ab/g'; echo; } >in
wc -c <in
"$CXWATCH" -r g.rules -s -q in 2>stats
st
grep -E 'lines regex limit|events rule' stats
