# The same file named twice on one command line, through a symbolic
# link, through a hard link, or as a copy (the same lines under another
# inode), is read once -- merged and with --no-merge -- and so are a plain
# file and its gzip copy, whichever holds more.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
{ l 0 1; l 1 1; } >a.log
ln -s a.log sym.log
ln a.log hard.log
cp a.log copy.log
for m in "" --no-merge; do
	rm -f st
	cx -C 0 -e 0 $m --state st -s a.log a.log sym.log hard.log copy.log \
	    2>&1 | grep -E 'ALERT|^  (inputs|events  )'
done
# A gzip copy holding one line more is the one read, in full, once.
{ l 0 1; l 1 1; l 2 1; } | gzip >more.gz
rm -f st
cx -C 0 -e 0 --state st -x a.log more.gz | cut -d' ' -f1-4
