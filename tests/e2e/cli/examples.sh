# The man page's EXAMPLES: a pipe with source=-, tail -F into cxwatch
# (the alert appears while tail still runs), and -x.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' | gzip >log.gz
zcat log.gz | cx -o json -e 0 web=- | cut -c1-60
: >live.log
mkfifo pipe
tail -n +1 -F live.log >pipe 2>/dev/null &
tailpid=$!
cx -C 0 -e 0 <pipe >alerts &
printf '%s\n' '2026-11-21T10:00:00Z web C7 /checkout 502' >>live.log
printf '%s\n' '2026-11-21T10:00:05Z web C7 /checkout 502' >>live.log
wait_for 100 'grep -qs ALERT alerts' || echo "no alert within 10s"
cat alerts
kill $tailpid
wait
cx -x live.log | cut -c1-70
