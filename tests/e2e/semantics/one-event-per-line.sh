# Semantics 3: a line that several rules would match counts once.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502 rt=9' |
    cx -s -T 100 2>stats
grep -E '^  events +[0-9]|events rule' stats
