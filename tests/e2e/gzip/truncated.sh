# A truncated archive: the lines before the damage are used, the error
# names the file and the byte offset, the other inputs still run, exit 2.
. "$TOP/tests/e2e/lib.sh"
awk 'BEGIN { for (i = 0; i < 3000; i++)
	printf "2026-11-21T10:%02d:%02d Z web C%d /home 200\n", i / 60 % 60, i % 60, i }' |
    sed 's/ Z /Z /' >big.log
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' >>big.log
gzip -c big.log >big.gz
head -c 4000 big.gz >cut.gz
printf '%s\n' '2026-11-21T10:00:00Z web C9 /checkout 502' \
    '2026-11-21T10:00:01Z web C9 /checkout 502' >other.log
cx -C 0 -e 0 -s cut.gz other.log 2>err
st
grep -v '^  ' err | grep -v 'stats'
grep -E 'lines read' err | awk '{ print ($3 > 100 && $3 < 3002) ? "some lines used" : "wrong count " $3 }'
cp "$TOP/tests/data/gzip/lnav-textfile_broken_gz.txt.gz" broken.gz
cx -x broken.gz
st
