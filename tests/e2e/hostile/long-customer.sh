# A customer id longer than 256 bytes is never cut to fit (two ids
# sharing 256 bytes would merge): the line is ignored and counted as
# "lines no customer". 256 bytes is still a customer.
. "$TOP/tests/e2e/lib.sh"
c256=$(head -c 256 /dev/zero | tr '\0' x)
c257=${c256}y
c10k=$(head -c 10000 /dev/zero | tr '\0' z)
for c in "$c10k" "$c10k" "$c257" "$c256" "$c256"; do
	printf '2026-11-21T10:00:00Z web %s /checkout 502\n' "$c"
done >in
cx -x -s -T 6 -e 0 in 2>stats | cut -c 1-100
st
grep -E 'lines no customer|events  |customers tracked' stats
cx -T 6 -e 0 -o json in | grep -c "\"customer\":\"$c256\""
