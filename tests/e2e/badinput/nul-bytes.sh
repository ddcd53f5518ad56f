# NUL bytes inside lines neither end them nor reach the output raw.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:00Z web C\0001 /checkout 502\n2026-11-21T10:00:01Z web C\0001 /checkout 502\n' |
    cx -C 0 -e 2
st
printf '2026-11-21T10:00:00Z web C\0001 /checkout 502\n2026-11-21T10:00:01Z web C\0001 /checkout 502\n' |
    cx -C 0 -e 2 -o json
