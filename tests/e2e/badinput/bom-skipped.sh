# A UTF-8 byte-order mark (EF BB BF) that begins an input is skipped, so
# the first line's time parses: in a file, a gzip archive, the standard
# input as a file and as a pipe. Its bytes still count as read. One that
# does not begin the input is an ordinary part of its line.
. "$TOP/tests/e2e/lib.sh"
bom=$(printf '\357\273\277')
printf '%s\n' "${bom}2026-11-21T10:00:00Z web C1 /checkout 502" \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >bom.log
gzip -c bom.log >bom.log.gz
cx -C 0 -e 2 bom.log
st
cx -x bom.log.gz | sed 's/ time=.*//'
cx -x - <bom.log | sed 's/ time=.*//'
cat bom.log | cx -x | sed 's/ time=.*//'
cx -s bom.log 2>&1 >/dev/null | grep 'bytes read'
wc -c <bom.log
cx -s bom.log.gz 2>&1 >/dev/null | grep 'bytes read'
printf '%s\n' '2026-11-21T10:00:00Z web C2 /checkout 502' \
    "${bom}2026-11-21T10:00:01Z web C2 /checkout 502" \
    "2026-11-21T10:00:02Z web C${bom}2 /checkout 502" >mid.log
cx -x mid.log | sed "s/$bom/<BOM>/g; s/ path=.*//"
printf '%s\n' "${bom}${bom}2026-11-21T10:00:00Z web C3 /checkout 502" |
    cx -x | sed "s/$bom/<BOM>/g"
