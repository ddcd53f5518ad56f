#!/bin/sh
# make valgrind: the e2e suite with every cxwatch run under valgrind's
# memcheck. $CXWATCH is a wrapper that execs valgrind on ./cxwatch (same
# pid, so the cases' signals still reach it), which exits 99 on any error
# or definite/indirect leak, and writes one log per process into
# $VALGRIND_LOG. Cases named in tests/valgrind.skip are skipped, with the
# reason printed. Fails if any case fails or any log holds an error.
# Knobs: VALGRIND_DIR (logs; default build/valgrind), PATTERN.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || {
	echo "valgrind: not installed (make deps installs it)" >&2; exit 2; }
logs=${VALGRIND_DIR:-$top/build/valgrind}
rm -rf "$logs"
mkdir -p "$logs" || exit 2
wrap=$logs/cxwatch
# No suppressions: PCRE2's JIT code runs clean under memcheck (valgrind
# notices the generated code itself), and the reader zeroes its buffer
# once so the JIT's reads past a line's end are of defined bytes.
cat >"$wrap" <<EOF2
#!/bin/sh
exec valgrind --quiet --error-exitcode=99 --exit-on-first-error=no \\
    --leak-check=full --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --track-origins=yes \\
    --log-file="$logs/vg.%p.log" "$top/cxwatch" "\$@"
EOF2
chmod +x "$wrap"
CXWATCH=$wrap VALGRIND_LOG=$logs SKIP_LIST=tests/valgrind.skip \
    sh "$top/tests/run" "${PATTERN:-/e2e/}"
st=$?
runs=$(ls "$logs"/vg.*.log 2>/dev/null | wc -l)
bad=0
for f in "$logs"/vg.*.log; do
	[ -s "$f" ] || continue
	bad=$((bad + 1))
	echo "valgrind: $f:"
	head -n 30 "$f" | sed 's/^/    /'
done
echo "valgrind: $runs runs of cxwatch, $bad with errors or leaks"
[ "$st" -eq 0 ] && [ "$bad" -eq 0 ]
