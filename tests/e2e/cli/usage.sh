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
# A mistyped long option gets the closest one, as a mistyped rules key does.
cx --folow </dev/null 2>&1 | head -1
cx --no-prefliter=1 </dev/null 2>&1 | head -1
cx --exec-timout 5s </dev/null 2>&1 | head -1
cx --zzzzzz </dev/null 2>&1 | head -1
# Options that go with another are refused without it.
cx --from-start </dev/null; st
cx --state-reset </dev/null; st
cx --report-format json </dev/null; st
