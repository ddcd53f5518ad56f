# A line of 100 MB from a pipe is skipped whole (--max-line) in memory
# that does not grow with it, and the next line is read normally.
. "$TOP/tests/e2e/lib.sh"
need_tool /usr/bin/time
{ printf '2026-11-21T10:00:00Z web C1 /checkout 502 rt='
  head -c 100000000 /dev/zero | tr '\0' 9
  printf '\n2026-11-21T10:00:01Z web C2 /checkout 502\n'; } |
    /usr/bin/time -f 'rss %M' -o rss "$CXWATCH" -r "$TOP/tests/data/e2e.rules" \
    -x -s 2>stats
st
grep -E 'lines (read|too long)|bytes read' stats
# Max RSS in KiB: a few MB, far below the line's 100 MB.
rss=$(sed -n 's/^rss //p' rss)
[ "$rss" -lt 40000 ] && echo "rss under 40 MB" || echo "rss $rss KiB"
