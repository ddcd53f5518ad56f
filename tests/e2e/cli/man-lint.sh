# Both man pages render cleanly: mandoc -T lint reports nothing.
command -v mandoc >/dev/null || { echo "mandoc is not installed" >&2; exit 77; }
mandoc -T lint -W warning "$TOP/man/cxwatch.1" "$TOP/man/cxwatch.rules.5"
echo "exit $?"
