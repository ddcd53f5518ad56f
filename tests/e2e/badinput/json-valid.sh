# JSON output is valid JSON for any input bytes: every byte value from 0
# to 255 in customers and lines, checked by Python's parser.
. "$TOP/tests/e2e/lib.sh"
need_tool python3
awk 'BEGIN { for (i = 1; i < 256; i++) if (i != 10 && i != 13 && i != 32)
	printf "2026-11-21T10:00:00Z web C%c /checkout%c%c 502\n", i, i, 255 - i }' >in
head -c 300 /dev/urandom | tr -d '\n ' >rand
printf '2026-11-21T10:00:00Z web R%s /checkout 502\n' "$(cat rand)" >>in
printf '2026-11-21T10:00:00Z web C\0 /checkout\0\0 502\n' >>in
cx -T 1 -C 0 -o json in >out
st
python3 -c '
import json, sys
n = 0
for line in open("out", "rb"):
    obj = json.loads(line.decode("utf-8"))
    assert obj["evidence"][0]["line"].startswith("2026-11-21T10:00:00Z web")
    n += 1
print("valid JSON objects:", n)
'
