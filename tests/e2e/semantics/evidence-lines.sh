# -e N keeps the N newest lines of the window, oldest first; -e 0 none.
. "$TOP/tests/e2e/lib.sh"
printf '%s\n' '2026-11-21T10:00:00Z web C1 /home 500' \
    '2026-11-21T10:01:00Z web C1 /home 501' \
    '2026-11-21T10:02:00Z web C1 /home 502' \
    '2026-11-21T10:03:00Z web C1 /home 503' \
    '2026-11-21T10:04:00Z web C1 /home 504' >in
cx -C 0 -e 2 in
cx -C 0 -e 0 in
cx -C 0 in | wc -l
