# Semantics 6: with --max-customers 2 the least recently active customer
# is dropped when a third arrives (counted), so C1 starts afresh and its
# two checkout failures no longer add up.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C2 /home 500' \
    '2026-11-21T10:00:02Z web C3 /home 500' \
    '2026-11-21T10:00:03Z web C1 /checkout 502' >in
cx -C 0 -e 0 --max-customers 2 -s in 2>stats
st
grep -E 'customers (evicted|peak)' stats
cx -C 0 -e 0 --max-customers 3 in
st
