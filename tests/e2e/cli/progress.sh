# The progress line: shown on a terminal when the inputs are regular files
# (first drawn at once, erased at the end), never when stderr is a file
# or pipe; --progress and --no-progress force it.
. "$TOP/tests/e2e/lib.sh"
need_tool script
S=$TOP/tests/data/sample
run() { script -qec "$*" /dev/null </dev/null; }
run "$CXWATCH" -r "$TOP/rules" -q "$S/web.log" "$S/support.log" >tty.out
echo "exit $?"
grep -c 'cxwatch: 0.0/0.7 MB   0% ' tty.out
printf '\r\033[K' >erase
tail -c 4 tty.out | cmp - erase && echo "erased at the end"
run "$CXWATCH" -r "$TOP/rules" -q --no-progress "$S/web.log" >quiet.out
echo "--no-progress on a terminal: $(wc -c <quiet.out) bytes"
run "cat $S/web.log | $CXWATCH -r $TOP/rules -q" >pipe-in.out
echo "stdin from a pipe on a terminal: $(wc -c <pipe-in.out) bytes"
"$CXWATCH" -r "$TOP/rules" -q "$S/web.log" 2>err
echo "stderr a file: $(wc -c <err) bytes"
"$CXWATCH" -r "$TOP/rules" -q --progress "$S/web.log" 2>err
grep -c 'cxwatch: 0.0/0.5 MB   0% ' err
