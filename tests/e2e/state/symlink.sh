# --state through a symbolic link writes through to the link's target
# (resolved once at the start): the link stays a link, the target is
# replaced atomically beside itself, and its lock is beside the target.
# A dangling link makes the target on the first run.
S=$TOP/tests/data/sample
cx() { "$CXWATCH" -r "$TOP/rules" "$@"; }
mkdir var
ln -s var/state st
ln -s st st2
cx -q --state st "$S/web.log"; echo "first: exit $?"
[ -L st ] && echo "st is still a link"
[ -f var/state ] && [ ! -L var/state ] && echo "var/state is a file"
cx -q --state st2 "$S/support.log"; echo "second, by two links: exit $?"
[ -L st2 ] && [ -L st ] && echo "both still links"
# The same runs on a plain file leave the same state: each run through
# the links loaded what the one before saved.
cx -q --state plain "$S/web.log"
cx -q --state plain "$S/support.log"
cmp -s plain var/state && echo "same state as through a plain path"
ls . var
