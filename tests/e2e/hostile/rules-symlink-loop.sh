# A rules directory is read one level deep: only its *.rules entries,
# in name order. A symlink back to the directory itself (ln -s . loop)
# is not a *.rules file and is never followed, so there is no loop; one
# named *.rules is an error (a directory, not a regular file), as is a
# symlink cycle.
. "$TOP/tests/e2e/lib.sh"
mkdir rd
cp "$TOP/tests/data/e2e.rules" rd/a.rules
ln -s . rd/loop
"$CXWATCH" -t -r rd | tail -n 1
st
"$CXWATCH" -t -r rd/loop/loop/loop/loop | tail -n 1
st
ln -s . rd/loop.rules
"$CXWATCH" -t -r rd
st
rm rd/loop.rules
ln -s y.rules rd/x.rules
ln -s x.rules rd/y.rules
"$CXWATCH" -t -r rd
st
