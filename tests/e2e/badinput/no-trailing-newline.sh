# The last line counts without a newline.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C1 /checkout 502\n2026-11-21T10:00:01Z web C1 /checkout 502' |
    cx -C 0 -e 1
st
