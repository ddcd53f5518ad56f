# A state file that is damaged, truncated or from other rules is never
# overwritten or ignored: a clear error, exit 2, before any input is read,
# the file as it was; --state-reset starts afresh on purpose. A state that
# cannot be saved (no directory, a file size limit) is an error (exit 2)
# that keeps the alerts and the previous state.
S=$TOP/tests/data/sample
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
cx -q --state st "$S/web.log"; echo "first run: exit $?"
cp st good
sum() { cksum <"$1" | cut -d' ' -f1; }
# Flip one byte in the middle.
size=$(wc -c <st)
{ head -c $((size / 2)) good; printf 'X'; tail -c +$((size / 2 + 2)) good; } >st
cp st flipped
cx --state st "$S/support.log"; echo "flipped: exit $?"
cmp -s st flipped && echo "flipped file left as it was"
head -c 50 good >st; cp st cut
cx --state st "$S/support.log"; echo "truncated: exit $?"
cmp -s st cut && echo "truncated file left as it was"
cp good st
"$CXWATCH" -r "$TOP/tests/data/e2e.rules" --state st "$S/support.log"
echo "other rules: exit $?"
cmp -s st good && echo "state of other rules left as it was"
cx -w 1h --state st "$S/support.log"; echo "other window: exit $?"
cx -q --state st --state-reset "$S/support.log"; echo "reset: exit $?"
cmp -s st good || echo "reset wrote a new state"
cx -q --state st "$S/support.log"; echo "after reset: exit $?"
cx --state-reset "$S/support.log"; echo "reset without state: exit $?"
cx -q --state /nonexistent/dir/st "$S/web.log" 2>err
echo "no directory: exit $?"; sed 's/st\.[A-Za-z0-9]*:/st.XXXXXX:/' err
# A day-long window keeps a state of some kilobytes: more than a file
# size limit of 2 blocks lets through.
cx -q -w 1d --state big "$S/web.log"
cp big bigold
echo "state over 4 KiB: $(($(wc -c <big) > 4096))"
(ulimit -f 2; cx -w 1d --state big "$S/support.log" 2>err; echo $? >rc) |
    grep -c ALERT >n
echo "file size limit: exit $(cat rc) alerts $(cat n)"
sed 's/big\.tmp-[A-Za-z0-9]*:/big.tmp-XXXXXX:/' err
cmp -s big bigold && echo "previous state intact"
echo "temporary files left: $(ls | grep -c '^big\.tmp-')"
