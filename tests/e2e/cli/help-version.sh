# --help prints the usage that cxwatch(1) shows; -V the version.
. "$TOP/tests/e2e/lib.sh"
"$CXWATCH" --help | head -3; st
"$CXWATCH" -V | sed 's/[0-9][0-9.]*$/N/'
# The SYNOPSIS of the man page lists the same options as usage().
for o in C c e o r T w -max-customers -max-line; do
	grep -q "^\.Op Fl $o " "$TOP/man/cxwatch.1" || echo "man lacks -$o"
	"$CXWATCH" --help | grep -q -- "-$o " || echo "usage lacks -$o"
done
