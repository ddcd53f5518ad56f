# -s prints the counters to stderr at the end.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' 'garbage' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' \
    '2026-11-21T10:00:02Z support C2 chat.started' >in
cx -s -C 0 -e 0 in 2>stats
st
grep -v -E 'elapsed|throughput' stats
grep -c -E '^  (elapsed|throughput) ' stats
