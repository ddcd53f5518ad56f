# Both man pages render cleanly: mandoc -T lint reports nothing.
. "$TOP/tests/e2e/lib.sh"
need_tool mandoc
mandoc -T lint -W warning "$TOP/man/cxwatch.1" "$TOP/man/cxwatch.rules.5"
echo "exit $?"
