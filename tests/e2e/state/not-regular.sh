# A --state that is not a regular file is refused before any input is
# read, named for what it is, instead of hanging for good on a FIFO
# nobody writes; it is never replaced.
S=$TOP/tests/data/sample
cx() { timeout 10 "$CXWATCH" -r "$TOP/rules" "$@"; }
mkfifo fifo
cx -q --state fifo "$S/web.log"; echo "fifo: exit $?"
[ -p fifo ] && echo "still a FIFO"
mkdir dir
cx -q --state dir "$S/web.log"; echo "directory: exit $?"
cx -q --state /dev/zero "$S/web.log"; echo "device: exit $?"
