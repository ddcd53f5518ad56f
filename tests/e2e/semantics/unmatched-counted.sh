# Semantics 1: a line no source claims is counted and otherwise ignored.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' 'nothing' '' '2026-11-21T10:00:00Z web C1 /a 200' |
    cx -s 2>stats
st
grep -E 'lines (read|unmatched|source web)' stats
