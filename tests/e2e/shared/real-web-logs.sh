# Real Apache and nginx combined logs (../shared/data/web, not shipped):
# the shipped web source claims every line, and as their user field is
# "-" (anonymous) they raise nothing. Skipped without ../shared.
. "$TOP/tests/e2e/lib.sh"
need_shared data/web/elastic-examples/apache_logs
W=$SHARED/data/web/elastic-examples
for f in apache_logs nginx_logs.head; do
	"$CXWATCH" -r "$TOP/rules" -s web="$W/$f" 2>stats
	echo "$f: exit $? lines $(wc -l <"$W/$f")"
	grep -E 'lines (read|source web|unmatched|anonymous|bad time)' stats
done
