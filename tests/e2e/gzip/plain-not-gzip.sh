# Only the first bytes decide: a zero-byte .gz is empty input, and a
# plain file with a gzip member in the middle is plain text.
. "$TOP/tests/e2e/lib.sh"
: >empty.gz
cx empty.gz; st
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' >mixed.log
printf 'x' | gzip >>mixed.log
printf '\n%s\n' '2026-11-21T10:00:01Z web C1 /checkout 502' >>mixed.log
cx -C 0 -e 0 -s mixed.log 2>&1 | grep -E 'ALERT|lines (read|unmatched)'
