#!/usr/bin/env bash
# The whole test suite: unit tests, scripted-server tests and interop tests against real servers
# (Postfix + Cyrus SASL, smtp-sink, Nodemailer's smtp-server), which this script installs if needed and starts.
# Usage: scripts/test.sh [extra maven arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test-servers.sh install
scripts/test-servers.sh start
trap 'scripts/test-servers.sh stop' EXIT

mvn -B verify "$@"
