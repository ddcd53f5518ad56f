# Alerts as JSON Lines, with evidence; reason holds both when both hold.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00.250Z web C1 /checkout 502' \
    '2026-11-21T10:01:00Z support C1 chat.abandoned' \
    '2026-11-21T10:02:00Z support C2 chat.abandoned' | cx -o json -e 1
st
