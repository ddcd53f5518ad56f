# Every shell example in README.md, read from it and run as written (see
# tests/e2e/examples-lib.sh for how the system's paths and inputs are
# mapped): the 30-second tour, the pipes, -f, --exec, tail -F, the
# crontab line, --report and the rules example. The ones below are not
# run, for the reason given.
. "$TOP/tests/e2e/examples-lib.sh"
ex_skip '^make (demo|check)( |$)' \
    'make demo and make check install packages and run this suite'
ex_skip '^make lint( |$)' 'cli/man-lint runs it'
ex_skip '^make (install|uninstall)( |$)' \
    'cli/install and cli/service-file run them'
ex_skip '^make (valgrind|fuzz)( |$)' \
    'they run this suite under valgrind, and the fuzzers for minutes'
ex_skip '^make( |$)' 'the suite runs on the binary make built'
ex_skip '^build-fuzz/' \
    'a 30-minute libFuzzer run (make fuzz runs each target in CI)'
ex_skip '^build/tests/test_fuzz_[a-z]+ crash-FILE' \
    'crash-FILE stands for an input that once crashed a fuzz target'
ex_skip 'cxwatch --(emit|consume) ' \
    'distributed/readme runs them against a nats-server it starts'
ex_all "$TOP/README.md"
