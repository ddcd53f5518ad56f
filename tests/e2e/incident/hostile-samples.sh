# Sample customers come from the logs: the text line escapes them as the
# ALERT line escapes a customer (terminal escapes, quotes, backslashes),
# and JSON escapes them as JSON strings.
. "$TOP/tests/e2e/lib.sh"
printf '2026-11-21T10:00:0%s web %s /checkout 502\n' \
    0 "$(printf 'C\033[31mred')" 1 'C"q"' 2 'C\back' 3 "$(printf 'C\001x')" |
    cx -r "$TOP/tests/e2e/incident/incident.rules" -T 100 >text
st
cat text
printf '2026-11-21T10:00:0%s web %s /checkout 502\n' \
    0 "$(printf 'C\033[31mred')" 1 'C"q"' 2 'C\back' 3 "$(printf 'C\001x')" |
    cx -r "$TOP/tests/e2e/incident/incident.rules" -T 100 -o json
