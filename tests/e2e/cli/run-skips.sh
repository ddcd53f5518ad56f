# tests/run's skips: a case that skips for a missing tool (need_tool)
# counts as failed, as tests/deps.sh installs them all; one that skips
# for absent ../shared data (need_shared) is a skip whose reason says
# how to point SHARED at a copy; any other skip is a skip, or a failure
# with STRICT_SKIPS=1 (as make check-fresh runs it). On a tree of four
# cases of its own, without ../shared, then with SHARED=DIR.
mkdir -p t/tests/e2e/k
cp "$TOP/tests/run" t/tests/
cp "$TOP/tests/e2e/lib.sh" t/tests/e2e/
for c in tool data other ok; do
	echo '. "$TOP/tests/e2e/lib.sh"' >t/tests/e2e/k/$c.sh
done
echo 'need_tool sh no-such-tool-cxw' >>t/tests/e2e/k/tool.sh
echo 'need_shared data/k' >>t/tests/e2e/k/data.sh
echo 'echo "no /proc/self/fdinfo" >&2; exit 77' >>t/tests/e2e/k/other.sh
echo 'need_tool sh /bin/sh' >>t/tests/e2e/k/ok.sh
SHARED= sh t/tests/run
echo "exit $?"
SHARED= STRICT_SKIPS=1 sh t/tests/run
echo "exit $?"
mkdir -p shared/data/k
SHARED=shared sh t/tests/run data
echo "exit $?"
SHARED=$PWD/none sh t/tests/run data | sed "s|$PWD|.|g"
