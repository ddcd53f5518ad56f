# -f with more files than the descriptor limit allows (100 under a soft
# ulimit -n of 64): the descriptors the run needs besides are kept free
# (a SIGHUP reload still gets its own), as many files as fit are
# followed, each of the others is reported once by name, and they are
# tried again as the run goes on. Raising the limit (prlimit) lets them
# open: the lines written to them meanwhile are read, what they held when
# the run began is not. The exit status is 2.
. "$TOP/tests/e2e/follow-lib.sh"
need_tool prlimit
i=1
while [ $i -le 100 ]; do line 0 C0 /old 200 >f$i; i=$((i + 1)); done
(ulimit -Sn 64 && exec "$CXWATCH" -r "$TOP/tests/data/e2e.rules" -f -x \
    -C 0 -T 1000 $(seq -f 'f%g' 1 100)) >out 2>err &
pid=$!
wait_for 100 'grep -qs "room for" err' || echo "no refusal within 10 s"
room=$(sed -n '1s/.*leaves room for \([0-9]*\) followed.*/\1/p' err)
wait_for 100 '[ $(grep -c "cannot follow" err) -eq $((100 - room)) ]' ||
    echo "not every refused file reported"
echo "room for 20 to 63 files: $([ "$room" -ge 20 ] && [ "$room" -lt 64 ] && echo yes)"
opened f1 "$(wc -c <f1)"
line 1 C1 /first 200 >>f1
line 2 C1 /last-followed 200 >>f$room
line 3 C1 /refused 200 >>f100
lines_seen 2
# Each refused file was named once, in order.
seq -f 'f%g' $((room + 1)) 100 >want
sed -n 's/^cxwatch: \(f[0-9]*\): cannot follow it: Too many open files: .*/\1/p' err |
    cmp -s - want && echo "refused files named once each"
# The descriptors kept free still serve: SIGHUP re-reads the rules.
kill -HUP $pid
wait_for 100 'grep -qs "SIGHUP: rules" err' || echo "no reload within 10 s"
prlimit --pid $pid --nofile=1024:
wait_for 100 '[ $(grep -c "followed now" err) -eq $((100 - room)) ]' ||
    echo "not all followed after raising the limit"
line 4 C1 /after 200 >>f100
lines_seen 4
stop
# By file; each file's lines in the order read.
sed 's/:[0-9]*: .* path=\([^ ]*\) .*/ \1/' out | sed "s/^f$room /fROOM /" |
    sort -s -k1,1
grep -v -e 'cannot follow it' -e 'followed now' err || echo "no other messages"
