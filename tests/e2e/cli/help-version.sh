# --help prints the usage that cxwatch(1) shows; -V the version.
. "$TOP/tests/e2e/lib.sh"
"$CXWATCH" --help | head -3; st
"$CXWATCH" -V | sed 's/[0-9][0-9.]*$/N/'
# The SYNOPSIS of the man page is usage(), word for word.
need_tool mandoc col
mandoc -T ascii "$TOP/man/cxwatch.1" | col -b |
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | tr -s ' \t\n' ' ' |
    sed 's/^ *cxwatch //; s/ *$//' >man.syn
"$CXWATCH" --help 2>&1 | sed -n '1,/^$/p' | tr -s ' \t\n' ' ' |
    sed 's/^usage: cxwatch //; s/ *$//' >usage.syn
cmp -s man.syn usage.syn && echo "synopsis: same" || diff man.syn usage.syn
# Every option of --help is described in the man page's option list.
"$CXWATCH" --help | sed -n 's/^  \(-., \)\{0,1\}--\([a-z-]*\).*/\2/p' |
    while read -r o; do
	grep -q "^\.It Fl .*-$o\( \|$\)" "$TOP/man/cxwatch.1" ||
	    grep -q "^\.It Fl -$o" "$TOP/man/cxwatch.1" ||
	    echo "man lacks --$o"
done
echo "options in --help: $("$CXWATCH" --help | grep -c '^  .*--[a-z]')"
