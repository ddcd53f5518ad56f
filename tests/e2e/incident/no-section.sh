# Without [incident] there are no incidents and nothing else changes:
# the output with the section, less its INCIDENT lines and the alerts'
# incident ids, is byte for byte the output without it (text, JSON, -s
# but for the incident counters, which only the section brings).
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/incident/day.sh"
cx -e 1 day.log >plain
ci -e 1 day.log | grep -v ' INCIDENT ' | sed 's/ incidents=[^ ]*$//' >less
cmp plain less && echo "text: same"
cx -o json day.log >plain
ci -o json day.log | grep -v '^{"type":"incident' |
    sed 's/,"incidents":\[[^]]*\]}$/}/' >less
cmp plain less && echo "json: same"
cx -q -s day.log 2>&1 | grep -v -E '^  (elapsed|throughput) ' >plain
ci -q -s day.log 2>&1 | grep -v -E '^  (elapsed|throughput) ' |
    grep -v '^  incident' >less
cmp plain less && echo "-s: same"
grep -c incident plain
