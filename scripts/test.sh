#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs the
# whole test suite. Safe to run twice. Golden tests read ../shared/; with CI set
# a missing fixture fails, elsewhere those tests are skipped with the path named.
#
# The suite is built in release mode (with testing enabled): debug builds compile
# the C kernels without optimisation, which makes model tests ~30x slower.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# OpenCV-contrib in .build/conformance-venv and its dnn_superres outputs, which the
# ESPCN .pb conformance test compares with (README, "Restoration").
bash scripts/setup-conformance.sh
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build -Xswiftc -enable-testing
# Every parser of untrusted bytes, fuzzed for 10 s each (README, "Fuzzing"):
# about 3 minutes with the harness build; any crash fails the run.
bash scripts/fuzz.sh all 10
