# Every example in the EXAMPLES of cxwatch.rules(5) and cxwatch(1), read
# from the pages and run as written (see tests/e2e/examples-lib.sh for how
# the system's paths and inputs are mapped): the rules example loads, and
# is the my.rules of cxwatch(1)'s -x example; each command shows what it
# says it does on the sample day.
. "$TOP/tests/e2e/examples-lib.sh"
ex_all "$TOP/man/cxwatch.rules.5"
ex_all "$TOP/man/cxwatch.1"
