# Garbage after the last member: every line is used, the error says
# where the garbage starts, exit 2. Trailing zeros are fine (gzip(1)).
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' \
    '2026-11-21T10:00:01Z web C1 /checkout 502' | gzip >a.gz
cat a.gz >junk.gz; printf 'junk' >>junk.gz
cx -C 0 -e 0 junk.gz
st
echo "size $(wc -c <a.gz)"
cat a.gz >zeros.gz; head -c 1000 /dev/zero >>zeros.gz
cx -C 0 -e 0 zeros.gz
st
