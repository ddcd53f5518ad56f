# --report FILE is written as the state is: a temporary file beside it,
# synced, renamed over it. A report that cannot be written whole (a file
# size limit here, as a full disk would) is an error (exit 2) that keeps
# the alerts and leaves the previous report as it was, or no file at all,
# and no temporary. A new report gets 0666 less the umask, a replaced one
# keeps its mode, and a symbolic link is written through.
S=$TOP/tests/data/sample
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
umask 022
cx -q --report r.txt "$S/web.log"; echo "exit $?"
ls -l r.txt | cut -c1-10
echo "previous report" >old.txt
chmod 600 old.txt
# 2 blocks of 512 bytes: the report is larger.
(ulimit -f 2; cx --report old.txt "$S/web.log" 2>err; echo $? >rc) |
    grep -c ALERT
echo "file size limit: exit $(cat rc)"
sed 's/old\.txt\.tmp-[A-Za-z0-9]*:/old.txt.tmp-XXXXXX:/' err
cat old.txt
(ulimit -f 2; cx -q --report new.txt "$S/web.log" 2>/dev/null; echo "new: exit $?")
[ -e new.txt ] || echo "no new.txt"
cx -q --report old.txt "$S/web.log"; echo "exit $?"
ls -l old.txt | cut -c1-10
cmp -s old.txt r.txt && echo "old.txt replaced whole"
ln -s r.txt link.txt
cx -q --report link.txt "$S/web.log" "$S/support.log"; echo "exit $?"
[ -L link.txt ] && echo "link.txt is still a link"
cmp -s old.txt r.txt || echo "r.txt, its target, holds the new report"
ls
