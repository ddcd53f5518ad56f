# Output that cannot be written is said, with the alerts it cost, and
# ends in exit 2, with --state still saved: stdout on a full disk, stdout
# closed (its descriptor is held, so no file opened later takes its place
# and the alerts), a --report past the file size limit. A reader that
# goes away (| head -1) is a quiet stop: nothing said, the usual status.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' \
    '2026-11-21T10:00:00Z web C2 /checkout 502' \
    '2026-11-21T10:00:01Z web C2 /checkout 502' >in
# The state is there and reads back (no alert: exit 1; a refused one: 2).
saved() {
	[ -s "$1" ] || return
	cx -C 0 -e 0 --state "$1" </dev/null
	[ $? -eq 1 ] && echo "$1 saved"
}
echo "-- stdout on a full disk"
cx -C 0 -e 0 --state st1 in >/dev/full; st
saved st1
echo "-- stdout closed"
cx -C 0 -e 0 --state st2 in >&-; st
saved st2
echo "-- stdout closed, a syslog socket opened next"
cx -C 0 -e 0 --syslog --syslog-socket nobody.sock in >&-; st
echo "-- --report past the file size limit (512 bytes)"
# (Its messages come through a pipe, which the limit does not cut short.)
out=$( (ulimit -f 1; cx -C 0 -e 0 --state st3 --report rep in 2>&1 >/dev/null
    echo "exit $?") )
printf '%s\n' "$out" | grep -v '^exit ' | sed 's/tmp-[A-Za-z0-9]*/tmp-XXXXXX/' >&2
printf '%s\n' "$out" | grep '^exit '
saved st3
echo "-- the reader goes away"
awk 'BEGIN { for (i = 1; i <= 3000; i++) {
	printf "2026-11-21T10:00:00Z web C%d /checkout 502\n", i
	printf "2026-11-21T10:00:01Z web C%d /checkout 502\n", i } }' >many
{ cx -C 0 -e 0 many 2>err; echo "exit $?" >status; } | head -n 1
cat status
[ -s err ] && cat err || echo "nothing said"
