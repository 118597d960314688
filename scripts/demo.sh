#!/usr/bin/env bash
# Builds migo-smtp and sends one message through a local Postfix (STARTTLS required, AUTH required), trusting the
# CA that scripts/test-servers.sh generated and verifying the host name. Run as root on a Debian machine.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q package -DskipTests
scripts/test-servers.sh install
scripts/test-servers.sh start

props=target/test-servers.properties
prop() { grep "^$1=" "$props" | cut -d= -f2-; }

MIGO_DEMO_PASSWORD="$(prop password)" java -jar cli/target/migo-smtp.jar send \
  --host "$(prop hostname)" --port "$(prop postfix.submission.port)" --tls starttls \
  --ca-cert "$(prop ca.pem)" \
  --user "$(prop user)" --password-env MIGO_DEMO_PASSWORD \
  --from "$(prop user)" --to demo@example.test \
  --subject "Hello from migo-smtp" --text "It works." "$@"

echo "Delivered into $(prop postfix.maildir)/new:"
ls -1 "$(prop postfix.maildir)/new" | tail -n 3
