# The corpus checker (packs-lib.sh) fails on a wrong annotation: a wrong
# customer, an event annotated as none, a forgiving line annotated as a
# failure, a sample with no annotation, and a wrong time.
. "$TOP/tests/e2e/packs-lib.sh"
sed -e 's/"customer":"alice"/"customer":"alicE"/' \
    -e 's/"rule":"nginx-rate-limited"/"status":"no rule"/' \
    -e '/10:06:40Z/s/,"forgives":\["default"\]//' \
    -e 's/"time":"2026-11-21T10:04:02Z"/"time":"2026-11-21T11:04:02Z"/' \
    "$TOP/tests/data/packs/nginx.corpus" >broken.corpus
corpus_check "$TOP/rules/packs/nginx" broken.corpus; echo "exit $?"
sed '/10:13:00Z/d' "$TOP/tests/data/packs/nginx.corpus" >orphan.corpus
corpus_check "$TOP/rules/packs/nginx" orphan.corpus; echo "exit $?"
echo "counted: $corpus_packs packs"
