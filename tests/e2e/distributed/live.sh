# A live producer (--emit -f) publishes its watermark once a second even
# when its file is quiet, so a consumer applies the events below it and
# alerts while the producer still runs; stopped (SIGTERM), the producer
# publishes its last watermark and the consumer (--producers 1) ends
# with the alerts of a local run over the file.
. "$TOP/tests/e2e/lib.sh"
. "$TOP/tests/e2e/nats-lib.sh"
S=$TOP/tests/data/sample
alerts() { jq -S -c 'select(.type == null)' | sort; }
"$CXWATCH" -r "$TOP/rules" -o json "$S/web.log" | alerts >local
cp "$S/web.log" web.log
"$CXWATCH" -r "$TOP/rules" -o json --consume "$U" --emit-subject live \
    --producers 1 >c.json &
cpid=$!
"$CXWATCH" -r "$TOP/rules" --emit "$U" --emit-subject live --producer web \
    -f --from-start web.log &
ppid=$!
wait_for 100 '[ -s c.json ]' &&
    echo "alerts while the producer follows its quiet file" ||
    echo "no alert within 10 s"
kill -TERM "$ppid"
ends_within "$ppid" 100
echo "producer: exit $ended"
ends_within "$cpid" 100
echo "consumer: exit $ended"
alerts <c.json | cmp -s local - &&
    echo "the local run's $(wc -l <local) alerts" || alerts <c.json | diff local -
