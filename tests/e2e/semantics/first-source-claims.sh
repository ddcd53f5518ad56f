# Semantics 1: a line both "web" and "other" could read goes to web, the
# first defined; a line only "other" reads goes there.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /a 200' \
    '2026-11-21T10:00:01Z fail C1' | cx -x
st
