# make install honours PREFIX and DESTDIR, and the installed binary looks
# for its rules under PREFIX; make uninstall removes exactly what install
# put there. Built in a copy of the tree so the tested binary stays as is.
command -v make >/dev/null || { echo "make is not installed" >&2; exit 77; }
mkdir tree && cp -r "$TOP/Makefile" "$TOP/src" "$TOP/include" "$TOP/rules" \
    "$TOP/man" "$TOP/dist" tree/ || exit 1
d=$PWD/dest
make -s -C tree install DESTDIR="$d" PREFIX=/opt/cx >/dev/null 2>&1 || exit 1
(cd "$d" && find . -type f | sort)
grep -c /opt/cx/etc/cxwatch/rules "$d/opt/cx/bin/cxwatch"
"$d/opt/cx/bin/cxwatch" -t -r "$d/opt/cx/etc/cxwatch/rules" | tail -1 |
    sed 's/[0-9][0-9]* /N /g'
make -s -C tree uninstall DESTDIR="$d" PREFIX=/opt/cx >/dev/null || exit 1
(cd "$d" && find . -type f | wc -l)
