# Over a long span the report's sparklines group hours, so they stay at
# most 72 marks wide: 10 days of hourly events give one mark per 4 hours.
. "$TOP/tests/e2e/lib.sh"
awk 'BEGIN { for (h = 0; h < 240; h++)
	printf "2026-11-%02dT%02d:00:00Z web C%d /home 500\n", 1 + h / 24, h % 24, h % 7 }' >in
cx -q -T 1000 -C 0 --report - in 2>&1 | sed -n '/^over time/,$p'
