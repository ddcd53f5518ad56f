# An input that cannot be read is reported (file named, no line) and the
# others are still read and alert; exit 2. A directory likewise.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >good.log
mkdir adir
cx -C 0 -e 0 missing.log good.log adir
st
