# Every pack in rules/packs has a corpus in tests/data/packs, and cxwatch
# makes of every sample line what its annotation says (packs-lib.sh).
. "$TOP/tests/e2e/packs-lib.sh"
failed=0
for p in "$TOP"/rules/packs/*/; do
	p=${p%/}; name=${p##*/}
	c=$TOP/tests/data/packs/$name.corpus
	if [ ! -f "$c" ]; then
		echo "$name: no corpus ($c)"; failed=1; continue
	fi
	corpus_check "$p" "$c" || failed=1
done
for c in "$TOP"/tests/data/packs/*.corpus; do
	name=${c##*/}; name=${name%.corpus}
	[ -d "$TOP/rules/packs/$name" ] || { echo "$name.corpus: no pack"; failed=1; }
done
echo "corpus: $corpus_packs packs, $corpus_lines lines, $corpus_events" \
    "events, $corpus_noevents no-event"
exit $failed
