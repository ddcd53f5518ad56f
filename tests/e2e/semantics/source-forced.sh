# SOURCE=FILE: every line of FILE is read by that source only, so a line
# that "web" would claim is unmatched when forced to "support", and a
# file whose name has '=' but no such source is just a file.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /checkout 502' >a.log
cp a.log 'x=a.log'
cx -x support=a.log web=a.log 'x=a.log'
st
printf '%s\n' '2026-11-21T10:00:00Z support C1 chat.abandoned' |
    cx -x support=-
