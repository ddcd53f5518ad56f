# Usage errors exit 2 with a message that says what to do.
. "$TOP/tests/e2e/lib.sh"
cx -w 10x </dev/null; st
cx -w 0 </dev/null; st
cx -T 0 </dev/null; st
cx -o xml </dev/null; st
cx -e many </dev/null; st
cx --bogus </dev/null; st
cx -Z </dev/null; st
cx --rules </dev/null; st
cx -w </dev/null; st
