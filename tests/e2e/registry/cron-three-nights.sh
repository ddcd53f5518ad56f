# The README's own cron line, run three nights in a row over logs that
# are written, rotated (nginx and billing by rename, the helpdesk by
# copytruncate) and compressed the next day (delaycompress) as logrotate
# does, each night reading the rotated logs and the live ones up to
# 06:15: the alerts of the three nights are those of one run over the
# whole period, byte for byte, and no line is counted twice.
. "$TOP/tests/e2e/lib.sh"
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2; exit 77; }
# Failures of one customer on both sides of a night's cut: a line read
# twice would change its score, and so its alert.
web() { echo "203.0.113.9 - $1 [2$2/Nov/2026:$3 +0000] \"POST /checkout/pay HTTP/1.1\" 502 173 \"-\" \"UA\" 0.7"; }
sup() { echo "2026-11-2$2T$3.000Z level=warn event=sla.breached customer=$1 ticket=T-1"; }
for d in 1 2 3; do
	"$GEN" -s $d -n 6000 -d 2026-11-2$d day$d >/dev/null 2>&1 || exit 1
	if [ $d -gt 1 ]; then
		web CUT$d $d 06:05:00 >>day$d/web.log
		web CUT$d $d 06:10:00 >>day$d/web.log
		web CUT$d $d 06:20:00 >>day$d/web.log
		sup CUT$d $d 06:25:00 >>day$d/support.log
	fi
	for f in web support billing; do
		# In time order (the planted lines go in their place), then
		# before and after 06:15, by the time each format writes.
		awk -v f=$f '{
			if (f == "web") t = substr($4, 14, 8)
			else if (f == "support") t = substr($1, 12, 8)
			else { match($0, /"ts":"[^"]*"/); t = substr($0, RSTART + 17, 8) }
			print t "\t" $0
		}' day$d/$f.log | sort -s -t "$(printf '\t')" -k1,1 | cut -f2- >sorted
		mv sorted day$d/$f.log
		awk -v f=$f '{
			if (f == "web") t = substr($4, 14, 5)
			else if (f == "support") t = substr($1, 12, 5)
			else { match($0, /"ts":"[^"]*"/); t = substr($0, RSTART + 17, 5) }
			print > (t < "06:15" ? FILENAME ".early" : FILENAME ".late")
		}' day$d/$f.log
		touch day$d/$f.log.early day$d/$f.log.late
	done
done
# The crontab line, as the README has it, on a root of our own.
line=$(grep '^15 6 \* \* \* cxwatch ' "$TOP/README.md" | head -1)
[ -n "$line" ] || { echo "no cron line in README.md"; exit 1; }
cmd=${line#15 6 \* \* \* cxwatch }
cmd=$(printf '%s\n' "$cmd" | sed "s#/var/#$PWD/var/#g")
echo "cron: cxwatch ${line#15 6 \* \* \* cxwatch }"
mkdir -p var/lib/cxwatch var/log/cxwatch var/log/nginx var/log/helpdesk \
    var/log/billing
N=var/log/nginx/access.log H=var/log/helpdesk/events.log
B=var/log/billing/events.log
night() { eval "\"\$CXWATCH\" -r \"\$TOP/rules\" $cmd"; echo "night $1: exit $?"; }
# Midnight: .2.gz -> .3.gz; .1 -> .2.gz (a new inode); the live log
# -> .1, by rename or by copy and truncation.
rotate() {
	for l in $N $H $B; do
		[ -f $l.2.gz ] && mv $l.2.gz $l.3.gz
		[ -f $l.1 ] && mv $l.1 $l.2 && gzip $l.2
	done
	mv $N $N.1; : >$N
	mv $B $B.1; : >$B
	cp $H $H.1; : >$H
}
cat day1/web.log >$N; cat day1/support.log >$H; cat day1/billing.log >$B
rotate
cat day2/web.log.early >>$N; cat day2/support.log.early >>$H
cat day2/billing.log.early >>$B
# Half of the next web line is written when cron runs: it waits.
head -1 day2/web.log.late | tr -d '\n' | cut -c1-40 | tr -d '\n' >>$N
night 1
head -1 day2/web.log.late | cut -c41- >>$N
tail -n +2 day2/web.log.late >>$N; cat day2/support.log.late >>$H
cat day2/billing.log.late >>$B
rotate
cat day3/web.log.early >>$N; cat day3/support.log.early >>$H
cat day3/billing.log.early >>$B
night 2
cat day3/web.log.late >>$N; cat day3/support.log.late >>$H
cat day3/billing.log.late >>$B
rotate
night 3
(cd var/log && find . -type f | sort | tr "\n" " "); echo
cat day1/web.log day2/web.log day3/web.log >web
cat day1/support.log day2/support.log day3/support.log >support
cat day1/billing.log day2/billing.log day3/billing.log >billing
"$CXWATCH" -r "$TOP/rules" -o json web support billing >whole
echo "one run: $(grep -c -v "^{\"type\":" whole) alerts, $(grep -c "^{\"type\":" whole) incident lines, $(cat web support billing | wc -l) lines"
grep -o '"customer":"CUT[0-9]","detector":"[a-z]*","reason":\[[^]]*\],"score":[0-9]*' whole
cmp whole var/log/cxwatch/alerts.json && echo "three nights: the same alerts, byte for byte"
# A fourth night finds nothing new.
night 4
cmp whole var/log/cxwatch/alerts.json && echo "fourth night: nothing added"
