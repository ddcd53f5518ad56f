# make install writes the systemd unit with the paths it installs to, and
# systemd-analyze verify accepts the installed unit: its ExecStart binary
# exists and its Documentation= man pages are found (with MANPATH; not
# checked when man is absent). The ExecStart command line as installed
# is one cxwatch accepts, with the rules it names (checked with -t, which
# reads the rules and stops). The unit reloads with SIGHUP and is
# sandboxed. Installed with PREFIX in the case's directory, so that the
# paths the unit names exist.
. "$TOP/tests/e2e/lib.sh"
need_tool make systemd-analyze
mkdir tree && cp -r "$TOP/Makefile" "$TOP/src" "$TOP/include" "$TOP/rules" \
    "$TOP/man" "$TOP/dist" tree/ || exit 1
p=$PWD/p
make -s -j2 -C tree all PREFIX="$p" >/dev/null 2>&1 || exit 1
make -s -C tree install PREFIX="$p" >/dev/null || exit 1
U=$p/share/cxwatch/cxwatch.service
sed -n 's/^ExecStart=//p' "$U" | sed "s|$p|\$PREFIX|g"
man=--man=no
command -v man >/dev/null && man=--man=yes
MANPATH=$p/share/man systemd-analyze verify $man "$U"
echo "systemd-analyze verify: exit $?"
$(sed -n 's/^ExecStart=//p' "$U") -t | grep "^ok:" | sed 's/[0-9][0-9]* /N /g'
grep -E '^(ExecReload|Restart|DynamicUser|NoNewPrivileges|ProtectSystem|StateDirectory)=' "$U"
