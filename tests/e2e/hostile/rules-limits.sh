# A rules line may hold 64 KiB and a rules file 4 MiB (cxwatch.rules(5),
# Limits): past them the file is refused with FILE:LINE and what to do,
# having read no more than the limit, so a rules input with no newline
# cannot take memory without bound. A 1 GiB sparse file (no newline, no
# disk) is refused as quickly as a small one.
. "$TOP/tests/e2e/lib.sh"
R=$TOP/tests/data/e2e.rules
# A comment line of exactly 64 KiB is fine; one byte more is not.
pad() { head -c "$1" /dev/zero | tr '\0' x; }
{ cat "$R"; printf '#'; pad 65535; echo; } >at.rules
"$CXWATCH" -t -r at.rules | tail -n 1
st
{ cat "$R"; printf '#'; pad 65536; echo; echo '[rule after]'; echo 'source = web'; echo 'weight = x'; } >over.rules
# The line too long is skipped; the lines after it are still checked.
"$CXWATCH" -t -r over.rules
st
# Exactly 4 MiB is fine; a byte more is refused at the line it is in.
size=$(wc -c <"$R")
{ cat "$R"; yes '# padding' | head -c $((4194304 - size)); } >4m.rules
wc -c <4m.rules
"$CXWATCH" -t -r 4m.rules | tail -n 1
st
{ cat 4m.rules; echo '#'; } >big.rules
"$CXWATCH" -t -r big.rules
st
truncate -s 1G huge.rules
timeout 10 "$CXWATCH" -t -r huge.rules
st
