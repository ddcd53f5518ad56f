# lnav's reader corner cases (../shared/data/cornercases): CRLF, invalid
# UTF-8, no trailing newline and an empty file, read by a source that
# claims every non-empty line; the counts match the files'. Skipped
# without ../shared.
. "$TOP/tests/e2e/lib.sh"
need_shared data/cornercases/lnav
L=$SHARED/data/cornercases/lnav
cat >all.rules <<'R'
[source any]
match = ^(?<customer>\S+)
time = none
[rule any]
source = any
match = .
R
for f in logfile_crlf.0 logfile_invalid_utf8.0 textfile_invalid_utf8.0 \
    textfile_nonl.txt logfile_empty.0; do
	"$CXWATCH" -r all.rules -x -T 1000 "$L/$f" >x 2>&1
	echo "$f: exit $? newlines $(wc -l <"$L/$f") lines $(wc -l <x)" \
	    "with-cr $(grep -c '\\x0d$' x) raw-control $(tr -d '\n\t' <x |
	    LC_ALL=C grep -c '[[:cntrl:]]')"
done
