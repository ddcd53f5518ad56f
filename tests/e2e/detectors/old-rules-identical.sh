# Rules without [detector] sections (the rules shipped before detectors,
# tests/data/rules-v1) give the alerts they gave before, byte for byte,
# once the new detector field is taken out: the golden output is what the
# cxwatch before detectors printed for this sample day, text and JSON.
# The day is the sample day as it was then: tests/bench/gen's plain form
# (-v 0), which the old regex sources read; the sample day itself now
# varies a quarter of its support and billing lines (-v 250).
GEN=$TOP/tests/bench/gen
[ -x "$GEN" ] || { echo "tests/bench/gen is not built (make check)" >&2
    exit 77; }
"$GEN" -n 4000 -s 1 -d 2026-11-21 -v 0 S >/dev/null || exit 1
S=$PWD/S
cx() { "$CXWATCH" -r "$TOP/tests/data/rules-v1" "$@" "$S/web.log" \
    "$S/support.log" "$S/billing.log"; }
cx >text; echo "text: exit $?"
cx -o json >json; echo "json: exit $?"
echo "text alerts naming another detector: $(grep ' ALERT ' text | grep -vc ' detector=default ')"
echo "json alerts naming another detector: $(grep -vc '"detector":"default"' json)"
sed 's/^\([^ ]* ALERT [^ ]*\) detector=default /\1 /' text
sed 's/,"detector":"default"//' json
