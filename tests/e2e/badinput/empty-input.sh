# Empty input: no alert, exit 1, nothing printed.
. "$TOP/tests/e2e/lib.sh"
cx </dev/null; st
: >empty; cx empty; st
