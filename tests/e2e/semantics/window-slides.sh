# Semantics 4: events at or before now - window leave it. With a 10m
# window, the 10:00 event is gone at 10:10 (exactly), so no alert; the
# same events 1s closer raise one.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:10:00Z web C1 /checkout 502' | cx -C 0 -e 0
st
printf '%s\n' '2026-11-21T10:00:01Z web C2 /checkout 502' \
    '2026-11-21T10:10:00Z web C2 /checkout 502' | cx -C 0 -e 0
st
