# Rotation by rename, then compression of the rotated file the next day
# (access.log -> access.log.1 -> access.log.2.gz, as logrotate with
# delaycompress does), with the log growing between the runs: every line
# is counted once, in four runs, and the alerts are those of one run.
. "$TOP/tests/e2e/lib.sh"
l() { printf '2026-11-21T10:%02d:00Z web C%s /checkout 502\n' "$1" "$2"; }
run() { cx -C 0 -e 1 --state st "$@"; echo "exit $?"; }
# Night 1: access.log holds C1's first failure; C2's first too.
{ l 0 1; l 1 2; } >access.log
run access.log*
# The log grows: C1 fails again (an alert), C3 starts.
{ l 2 1; l 3 3; } >>access.log
run access.log*
# Rotation: renamed (same inode), a new access.log, which gets C2's second.
mv access.log access.log.1
l 4 2 >access.log
l 5 3 >>access.log.1     # the server wrote once more to the old file
run access.log*
# Compression of the rotated file, a new inode: recognised by its lines.
mv access.log.1 access.log.2
gzip access.log.2
mv access.log access.log.1
: >access.log
l 6 3 >>access.log
run access.log*
run access.log*
echo "one run over the same lines:"
{ l 0 1; l 1 2; l 2 1; l 3 3; l 4 2; l 5 3; l 6 3; } | sort >all
cx -C 0 -e 1 all; echo "exit $?"
