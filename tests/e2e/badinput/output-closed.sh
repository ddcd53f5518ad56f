# cxwatch ... | head -1 ends quietly: no message, no crash, no hang,
# even with far more alerts than a pipe buffer holds.
. "$TOP/tests/e2e/lib.sh"
i=0
awk 'BEGIN { for (i = 0; i < 200000; i++)
	printf "2026-11-21T10:00:00Z web C%d /checkout 502 rt=9\n", i }' >in
cx -T 1 -C 0 in 2>err | head -1
cat err
echo "stderr bytes: $(wc -c <err)"
