# Several inputs are merged by time: the next line is always that of the
# input whose next line is earliest, ties to the input named first; lines
# with no time (unclaimed, bad time) pass at once; a time going backwards
# inside one input neither stalls the merge nor drops lines.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    'no time here' \
    '2026-11-21T10:02:00Z web C1 /checkout 502' \
    '2026-11-21T10:01:30Z web C1 /home 200' >a
printf '%s\n' '2026-11-21T10:00:00Z support C1 chat.started' \
    '2026-11-21T10:01:00Z support C1 chat.abandoned' \
    '2026-11-21T99:00:00Z support C1 bad.time' \
    '2026-11-21T10:03:00Z support C1 chat.done' >b
cx -x -C 0 a b | cut -d' ' -f1-3
echo "-- --no-merge"
cx -x -C 0 --no-merge a b | cut -d' ' -f1-3
