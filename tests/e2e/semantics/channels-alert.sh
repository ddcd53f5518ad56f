# Semantics 5: two distinct channels within the window alert even with a
# score of 2 of 5; the JSON reason says channels only.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /home 500' \
    '2026-11-21T10:01:00Z fail C1' | cx -e 0
st
printf '%s\n' '2026-11-21T10:00:00Z web C1 /home 500' \
    '2026-11-21T10:01:00Z fail C1' | cx -e 0 -o json
printf '%s\n' '2026-11-21T10:00:00Z web C1 /home 500' \
    '2026-11-21T10:01:00Z fail C1' | cx -e 0 -C 0
st
