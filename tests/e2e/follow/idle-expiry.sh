# Idle customers are forgotten while the log is quiet: the table's clock
# moves on with the wall clock from the latest log time seen, so with a
# 1 s window the three customers are freed within a few seconds of the
# last line, although no later line ever comes (SIGUSR1 shows it).
. "$TOP/tests/e2e/follow-lib.sh"
: >log
start -f -w 1s -c 0 -e 0 log
opened log 0
line 1 C1 /home 500 >>log
line 1 C2 /home 500 >>log
line 1 C3 /home 500 >>log
opened log "$(wc -c <log)"
forgotten() {
	: >err
	kill -USR1 $pid
	sleep 0.2
	grep -aq "customers forgotten  *3$" err
}
wait_for 50 forgotten || { echo "not forgotten within 10 s"; cat err; }
grep -aE "^  customers" err
stop
