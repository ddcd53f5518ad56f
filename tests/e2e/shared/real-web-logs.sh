# Real Apache and nginx combined logs (../shared/data/web, not shipped):
# the shipped web source claims every line, and as their user field is
# "-" (anonymous) they raise nothing. Skipped without ../shared.
W=${SHARED:-}/data/web/elastic-examples
[ -f "$W/apache_logs" ] || { echo "no ../shared/data/web" >&2; exit 77; }
for f in apache_logs nginx_logs.head; do
	"$CXWATCH" -r "$TOP/rules" -s web="$W/$f" 2>stats
	echo "$f: exit $? lines $(wc -l <"$W/$f")"
	grep -E 'lines (read|source web|unmatched|anonymous|bad time)' stats
done
