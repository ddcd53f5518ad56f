# 10,000 rules on one source load, check and run in well under the
# runner's deadline (about 0.5 s to load here), and the last one still
# matches.
. "$TOP/tests/e2e/lib.sh"
{ printf '[source s]\nmatch = ^(?<time>\\S+) (?<customer>\\S+) (?<code>\\d+) (?<path>\\S+)$\ntime = iso8601\n'
  awk 'BEGIN { for (i = 0; i < 10000; i++)
	printf "[rule r%d]\nsource = s\nmatch = /p%d\\b\nif = code == %d\n\n", i, i, i }'
} >many.rules
timeout 20 "$CXWATCH" -t -r many.rules | tail -n 1
st
printf '2026-11-21T10:00:00Z C1 9999 /p9999\n2026-11-21T10:00:01Z C1 0 /p0\n2026-11-21T10:00:02Z C1 5000 /p5000/x\n2026-11-21T10:00:03Z C1 7 /p8\n' |
    timeout 20 "$CXWATCH" -r many.rules -T 3 -e 0 -s 2>stats
st
grep -E 'events rule r(0|5000|9999|7) |lines no rule' stats
