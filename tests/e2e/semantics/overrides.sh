# -w -T -c -C override [settings].
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /home 500' \
    '2026-11-21T10:30:00Z web C1 /home 500' >in
cx -C 0 -e 0 in; st
cx -C 0 -e 0 -T 2 in; st
cx -C 0 -e 0 -T 2 -w 1h in; st
cx -C 0 -e 0 -T 1 -c 10m in; st
cx -C 0 -e 0 -T 1 -c 40m in; st
