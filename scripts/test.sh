#!/usr/bin/env bash
# The README's test command: installs what is missing, then builds and runs the
# whole test suite. Safe to run twice. Golden tests read ../shared/; with CI set
# a missing fixture fails, elsewhere those tests are skipped with the path named.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build
