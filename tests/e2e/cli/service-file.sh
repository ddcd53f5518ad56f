# The shipped systemd unit runs cxwatch with options it accepts (checked
# with -t, which reads the rules and stops), reloads with SIGHUP, and
# sandboxes it.
U=$TOP/dist/cxwatch.service
opts=$(sed -n 's/^ExecStart=[^ ]* //p' "$U" | tr ' ' '\n' |
    grep -v -e '^/var/log/' -e '^/usr/local/etc/' -e '^-r$' | tr '\n' ' ')
echo "options: $opts"
"$CXWATCH" $opts -r "$TOP/rules" -t | tail -1 | sed 's/[0-9][0-9]* /N /g'
grep -E '^(ExecReload|Restart|DynamicUser|NoNewPrivileges|ProtectSystem|StateDirectory)=' "$U"
