# Concatenated members (cat a.gz b.gz, BGZF with an empty last member)
# read as one stream.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' | gzip >a.gz
printf '%s\n' '2026-11-21T10:00:01Z web C1 /checkout 502' | gzip >b.gz
cat a.gz b.gz >ab.gz
cx -C 0 -e 2 ab.gz
st
cat >any.rules <<'R'
[source any]
match = ^(?<customer>.+)$
time = none
[rule any]
source = any
match = .
R
cp "$TOP"/tests/data/gzip/* .
"$CXWATCH" -r any.rules -x htslib-bgziptest.txt.gz |
    cut -d' ' -f1-4
"$CXWATCH" -r any.rules -s -T 100000 \
    pseudo-multimember-gzip.gz 2>&1 |
    grep -E 'bytes read|lines read'
