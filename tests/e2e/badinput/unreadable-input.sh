# An input that opens but cannot be read (/proc/self/mem fails with EIO,
# even for root) is reported by name; the next input is still read.
. "$TOP/tests/e2e/lib.sh"
[ -r /proc/self/mem ] || { echo "no /proc/self/mem" >&2; exit 77; }
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >good.log
cx -C 0 -e 0 --no-merge /proc/self/mem good.log
st
cx -C 0 -e 0 /proc/self/mem good.log
st
