# -o json: INCIDENT and INCIDENT END are objects with a "type" (alerts
# have none), and an alert in an open incident has "incidents". Every
# line is one valid JSON object (JSON::PP, a second decoder).
. "$TOP/tests/e2e/lib.sh"
need_tool perl
. "$TOP/tests/e2e/incident/day.sh"
ci -o json -e 0 day.log >out
st
cat out
perl -MJSON::PP -ne '
	my $o = JSON::PP->new->decode($_);
	print(($o->{type} // "alert"), ": ", join(",", sort keys %$o), "\n");
' out
