# make install honours PREFIX, STATEDIR and DESTDIR: the installed binary
# looks for its rules under PREFIX, and the man pages and the systemd unit
# name the paths of this install (their sources name a default install's:
# mapped back, nothing else differs). Reinstalling keeps a rules file the
# user edited and puts the shipped one beside it as NAME.rules.dist;
# make uninstall removes exactly what install put there, never an edited
# rules file. Built in a copy of the tree so the tested binary stays as is.
. "$TOP/tests/e2e/lib.sh"
need_tool make mandoc
mkdir tree && cp -r "$TOP/Makefile" "$TOP/src" "$TOP/include" "$TOP/rules" \
    "$TOP/man" "$TOP/dist" tree/ || exit 1
d=$PWD/dest
mk() {
	make -s -C tree "$@" DESTDIR="$d" PREFIX=/opt/cx \
	    STATEDIR=/var/lib/cx-test 2>&1 | sed "s|$d|\$DESTDIR|g"
}
mk -j2 all >/dev/null
mk install
echo "== installed"
(cd "$d" && find . -type f | sort)
x=$d/opt/cx
r=$x/etc/cxwatch/rules
grep -q /opt/cx/etc/cxwatch/rules "$x/bin/cxwatch" &&
    echo "bin/cxwatch looks for /opt/cx/etc/cxwatch/rules"
"$x/bin/cxwatch" -t -r "$r" | tail -1 | sed 's/[0-9][0-9]* /N /g'

echo "== paths in the man pages and the unit"
for f in share/man/man1/cxwatch.1:man/cxwatch.1 \
    share/man/man5/cxwatch.rules.5:man/cxwatch.rules.5 \
    share/cxwatch/cxwatch.service:dist/cxwatch.service; do
	i=$x/${f%%:*} src=$TOP/${f#*:}
	left=$(grep -c -e /usr/local/etc -e /usr/local/share \
	    -e /usr/local/bin/cxwatch -e /var/lib/cxwatch "$i")
	grep -q -e /opt/cx/ -e /var/lib/cx-test "$i" && new=yes || new=no
	sed -e 's|/opt/cx/bin/cxwatch|/usr/local/bin/cxwatch|g' \
	    -e 's|/opt/cx/etc/cxwatch/rules|/usr/local/etc/cxwatch/rules|g' \
	    -e 's|/opt/cx/share/|/usr/local/share/|g' \
	    -e 's|/var/lib/cx-test|/var/lib/cxwatch|g' \
	    -e 's|^StateDirectory=cx-test$|StateDirectory=cxwatch|' "$i" |
	    cmp -s - "$src" && back=same || back=differs
	echo "${f%%:*}: default paths left $left, this install's: $new," \
	    "mapped back: $back"
done
grep -E '^(ExecStart|StateDirectory)=' "$x/share/cxwatch/cxwatch.service"
for m in man1/cxwatch.1 man5/cxwatch.rules.5; do
	mandoc -T lint -W warning "$x/share/man/$m" && echo "$m: lint clean"
	sed -n '/^\.Sh FILES/,/^\.Sh/s/^\.It Pa /FILES: /p' "$x/share/man/$m"
done

echo "== reinstall over an edited rules file and a removed one"
printf '# mine\n' >>"$r/10-web.rules"
cp "$r/10-web.rules" mine
rm "$r/20-support.rules"
mk install
cmp -s mine "$r/10-web.rules" && echo "10-web.rules: the edited one, kept"
cmp -s "$TOP/rules/10-web.rules" "$r/10-web.rules.dist" &&
    echo "10-web.rules.dist: the shipped one"
cmp -s "$TOP/rules/20-support.rules" "$r/20-support.rules" &&
    echo "20-support.rules: installed again"
"$x/bin/cxwatch" -t -r "$r" | tail -1 | sed 's/[0-9][0-9]* /N /g'
mk install
ls "$r"

echo "== uninstall keeps the edited file"
mk uninstall
(cd "$d" && find . -type f | sort)
cmp -s mine "$r/10-web.rules" && echo "10-web.rules: the edited one, kept"

echo "== the edited file made the shipped one again"
mk install >/dev/null
cp "$TOP/rules/10-web.rules" "$r/"
mk install
ls "$r"
mk uninstall
(cd "$d" && find . -path '*cxwatch*' | sort)
echo "files left: $(find "$d" -type f | wc -l)"
