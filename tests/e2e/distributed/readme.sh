# The README's distributed example ("Past one machine"), its commands as
# they are written, against a real nats-server: the URL is the test's
# server, the three /var/log files are the sample day's. The workers
# start first (the standby last, once partition 1's worker has its
# lease), then the producers; the workers end once the three producers
# have. The union of the workers' alerts is the local run's.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/nats-lib.sh"
S=$TOP/tests/data/sample
awk '/^## Past one machine/ { on = 1; next } /^## / { on = 0 }
    on && /^```/ { inblock = !inblock; next }
    on && inblock && /^cxwatch --(emit|consume) / { print }' \
    "$TOP/README.md" >cmds
echo "$(grep -c -- --emit cmds) producers, $(grep -c -- --consume cmds) workers"
# run LINE: the command, its URL and paths mapped, in the background.
run() {
	set -- $(echo "$1" | sed "s|nats://127.0.0.1:4222|$U|;
	    s|/var/log/nginx/access.log|$S/web.log|;
	    s|/var/log/helpdesk/events.log|$S/support.log|;
	    s|/var/log/billing/events.log|$S/billing.log|; s|^cxwatch ||")
	exec "$CXWATCH" -r "$TOP/rules" "$@"
}
grep -- --consume cmds >consume.cmds
grep -- --emit cmds >emit.cmds
# leases: how many the bucket holds (both partitions' taken: 2).
leases() {
	python3 -c 'import json, sys, urllib.request
j = json.load(urllib.request.urlopen(sys.argv[1] + "/jsz?streams=true"))
print(sum(s["state"]["messages"] for a in j.get("account_details", [])
    for s in a.get("stream_detail", []) if s["name"] == "KV_cxwatch-lease"))' "$M"
}
k=0
while read -r line; do
	k=$((k + 1))
	case $line in *--standby*)
		wait_for 100 '[ "$(leases 2>/dev/null)" = 2 ]' ||
		    echo "the workers did not take their leases" ;;
	esac
	(run "$line") >"w$k.out" 2>"w$k.err" &
	echo $! >"w$k.pid"
	sleep 0.5
done <consume.cmds
while read -r line; do
	(run "$line") || echo "exit $?: $line"
done <emit.cmds
for p in w*.pid; do
	ends_within "$(cat "$p")" 300
	[ "$ended" -le 1 ] || echo "${p%.pid}: exit $ended"
done
for e in w*.err; do sed 's/held by [^:]*:[0-9]*:/held by HOST:PID:/;
    s/sequence [0-9]*/sequence N/' "$e"; done
"$CXWATCH" -r "$TOP/rules" "$S/web.log" "$S/support.log" "$S/billing.log" |
    grep ' ALERT ' | sort >local
cat w*.out | grep ' ALERT ' | sort >union
cmp -s local union && echo "union = local run, $(wc -l <local) alerts" ||
    diff local union
