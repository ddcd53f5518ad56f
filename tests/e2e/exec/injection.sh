# --exec runs the program by fork/exec, never through a shell: customer
# ids such as $(touch pwned), ;touch pwned; and `touch pwned` reach it as
# inert bytes in CX_CUSTOMER and in the JSON on its stdin, and the
# arguments given with --exec-arg stay single arguments. (One job at a
# time: the hook writes its record in several pieces.)
. "$TOP/tests/e2e/lib.sh"
cat >hook <<'H'
#!/bin/sh
{
	printf 'argv:'; for a in "$@"; do printf ' [%s]' "$a"; done; echo
	printf 'customer=%s score=%s time=%s channels=%s rules=%s\n' \
	    "$CX_CUSTOMER" "$CX_SCORE" "$CX_TIME" "$CX_CHANNELS" "$CX_RULES"
	cat; echo
} >>"$HOOK_LOG"
H
chmod +x hook
for c in '$(touch${IFS}pwned1)' ';touch${IFS}pwned2;' '`touch${IFS}pwned3`' \
    "C'\"4"; do
	printf '2026-11-21T10:00:00Z web %s /checkout 502\n' "$c"
	printf '2026-11-21T10:00:01Z web %s /checkout 502\n' "$c"
done >in
HOOK_LOG=$PWD/calls cx -C 0 -e 1 -q --exec ./hook --exec-jobs 1 --exec-arg 'two words' \
    --exec-arg '$(touch pwned4)' -s in 2>stats
st
ls pwned* 2>/dev/null || echo "no pwned files"
sort calls | sed 's/,"first":"[^"]*"//'
grep exec stats
