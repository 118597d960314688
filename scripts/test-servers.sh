#!/usr/bin/env bash
# Local SMTP servers for migo-smtp's integration and interop tests.
#
#   scripts/test-servers.sh install   install Postfix, Cyrus SASL, OpenSSL and the Node server's packages (idempotent)
#   scripts/test-servers.sh start     (re)start everything from scratch and wait until every port listens
#   scripts/test-servers.sh stop      stop everything (no error if nothing runs)
#   scripts/test-servers.sh status    show what runs
#
# What `start` runs, all on 127.0.0.1 and all with a fresh CA, certificate and mailbox each time:
#   - a private Postfix instance with Cyrus SASL (sasldb; PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256 SCRAM-SHA-1) on three ports:
#       submission (STARTTLS required, default 10587), smtps (implicit TLS, 10465), plain (no TLS, 10025);
#     every message is delivered into one catch-all Maildir, nothing leaves the machine;
#   - in the same instance, a rate-limited relay on two more ports: limited submission (STARTTLS required, 10597)
#     and limited plain (no TLS, 10035). Postfix's anvil enforces per-client limits there, as commercial relays do
#     (see "The limited relay" below); the ports above stay unlimited;
#   - a looser limited submission port for bulk jobs (10598): the same limits but many more messages, connections and
#     AUTHs per unit, so that a job of thousands of messages finishes in a minute while the relay still sets the pace;
#   - Postfix's smtp-sink (10026), a fast do-nothing server for benchmarks;
#   - Nodemailer's smtp-server (test-servers/xoauth2, 10588) for XOAUTH2.
# It then writes a Java properties file that tells the tests where everything is; `stop` deletes it.
#
# Must run as root (Postfix's master and smtp-sink's -u need it). Environment:
#   MIGO_TEST_SERVERS_DIR          runtime directory (default /var/lib/migo-smtp-test); its contents are
#                                  wiped on every start. Not under /tmp: Postfix refuses directories
#                                  whose parents are group- or world-writable.
#   MIGO_TEST_SERVERS_PROPERTIES   properties file (default <repo>/target/test-servers.properties)
#   MIGO_POSTFIX_SUBMISSION_PORT, MIGO_POSTFIX_SMTPS_PORT, MIGO_POSTFIX_PLAIN_PORT,
#   MIGO_SINK_PORT, MIGO_XOAUTH2_PORT                 ports (defaults 10587, 10465, 10025, 10026, 10588)
#   MIGO_POSTFIX_LIMITED_SUBMISSION_PORT, MIGO_POSTFIX_LIMITED_PLAIN_PORT   the limited relay (defaults 10597, 10035)
#   MIGO_POSTFIX_BULK_LIMITED_PORT                    the bulk-job limited submission port (default 10598)
#   MIGO_TEST_SERVERS_PORT_OFFSET  added to every default port above (default 0): a second, private set of servers
#                                  (with its own MIGO_TEST_SERVERS_DIR) can run beside the first one
#   MIGO_TEST_SERVERS_TIMEOUT      seconds to wait for the ports at start (default 30)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
XOAUTH2_SRC="$REPO_ROOT/test-servers/xoauth2"

RUN_DIR="${MIGO_TEST_SERVERS_DIR:-/var/lib/migo-smtp-test}"
PROPERTIES="${MIGO_TEST_SERVERS_PROPERTIES:-$REPO_ROOT/target/test-servers.properties}"

OFFSET="${MIGO_TEST_SERVERS_PORT_OFFSET:-0}"
[[ $OFFSET =~ ^[0-9]+$ ]] || { echo "test-servers: error: MIGO_TEST_SERVERS_PORT_OFFSET must be a number" >&2; exit 1; }

HOST=127.0.0.1
SERVER_NAME=localhost
SUBMISSION_PORT="${MIGO_POSTFIX_SUBMISSION_PORT:-$((10587 + OFFSET))}"
SMTPS_PORT="${MIGO_POSTFIX_SMTPS_PORT:-$((10465 + OFFSET))}"
PLAIN_PORT="${MIGO_POSTFIX_PLAIN_PORT:-$((10025 + OFFSET))}"
SINK_PORT="${MIGO_SINK_PORT:-$((10026 + OFFSET))}"
XOAUTH2_PORT="${MIGO_XOAUTH2_PORT:-$((10588 + OFFSET))}"
LIMITED_SUBMISSION_PORT="${MIGO_POSTFIX_LIMITED_SUBMISSION_PORT:-$((10597 + OFFSET))}"
LIMITED_PLAIN_PORT="${MIGO_POSTFIX_LIMITED_PLAIN_PORT:-$((10035 + OFFSET))}"
BULK_LIMITED_PORT="${MIGO_POSTFIX_BULK_LIMITED_PORT:-$((10598 + OFFSET))}"
# Client certificates (the relay requires one and needs no AUTH): STARTTLS and implicit TLS.
CLIENT_CERT_PORT="${MIGO_POSTFIX_CLIENT_CERT_PORT:-$((10634 + OFFSET))}"
CLIENT_CERT_SMTPS_PORT="${MIGO_POSTFIX_CLIENT_CERT_SMTPS_PORT:-$((10635 + OFFSET))}"
# Proxy checks: Postfix presenting a certificate for the proxy's address 127.0.0.1 only (not for "localhost"), so a
# client that checked the proxy's address instead of the relay's name would wrongly accept it. STARTTLS and implicit.
PROXY_CHECK_PORT="${MIGO_POSTFIX_PROXY_CHECK_PORT:-$((10636 + OFFSET))}"
PROXY_CHECK_SMTPS_PORT="${MIGO_POSTFIX_PROXY_CHECK_SMTPS_PORT:-$((10637 + OFFSET))}"
# Nothing ever listens here: the relay a proxy cannot reach (the proxies' plug-ins allow it as a target).
PROXY_UNREACHABLE_PORT="${MIGO_PROXY_UNREACHABLE_PORT:-$((10639 + OFFSET))}"
START_TIMEOUT="${MIGO_TEST_SERVERS_TIMEOUT:-30}"

# The limited relay. anvil counts per client IP address and per service (each limited port has its own counters);
# every rate is "per LIMIT_UNIT_SECONDS", in a fixed window that opens at the client's first event and lasts a
# little more than the unit (anvil compares whole seconds), not a sliding one. A test can be a fresh client by
# binding another 127.x.y.z source address (Linux routes all of 127/8 to lo).
#   over LIMIT_CONNECTIONS at once, or LIMIT_CONNECTION_RATE per unit -> 421 4.7.0 <host> Error: too many connections from <ip>
#   over LIMIT_MESSAGES MAIL commands per unit    -> 450 4.7.1 Error: too much mail from <ip>            (at MAIL)
#   over LIMIT_AUTH AUTH commands per unit        -> 450 4.7.1 Error: too many AUTH commands from <ip>   (at AUTH)
#   over LIMIT_RECIPIENTS RCPTs in one message    -> 452 4.5.3 Error: too many recipients (the first ones stay accepted)
# Each refusal is a session error. Once a session has made LIMIT_SOFT_ERRORS errors without delivering a message,
# every reply is delayed 1 s (smtpd_error_sleep_time); at LIMIT_HARD_ERRORS the server says
# 421 4.7.0 <host> Error: too many errors and disconnects. These are Postfix's defaults, pinned here: a client that
# keeps hammering a throttling relay is punished.
# The recipient rate and the new-TLS-session rate are not limited.
LIMIT_UNIT_SECONDS=10
LIMIT_CONNECTIONS=3
LIMIT_CONNECTION_RATE=20
LIMIT_MESSAGES=10
LIMIT_AUTH=10
LIMIT_RECIPIENTS=50
LIMIT_SOFT_ERRORS=10
LIMIT_HARD_ERRORS=20
# The bulk-job port: as above (same connections at once, recipients, error limits), but per unit
BULK_LIMIT_MESSAGES=500
BULK_LIMIT_CONNECTION_RATE=100
BULK_LIMIT_AUTH=100

SASL_USER=alice
SASL_REALM=example.test
USER_ADDRESS="$SASL_USER@$SASL_REALM"
PASSWORD=alice-secret
OAUTH_TOKEN=valid-token
UTF8_SASL_USER=zoe
UTF8_USER_ADDRESS="$UTF8_SASL_USER@$SASL_REALM"
UTF8_PASSWORD='Grüße-çafé-Ωmega'

# Marks a directory as ours, so that `start` never wipes a directory it did not create.
MARKER=.migo-smtp-test-servers

# Layout of the runtime directory.
ETC_DIR="$RUN_DIR/etc"
SASL_DIR="$ETC_DIR/sasl"
SASLDB="$ETC_DIR/sasldb2"
TLS_DIR="$RUN_DIR/tls"
CA_PEM="$TLS_DIR/ca.pem"
SERVER_CERT="$TLS_DIR/server.pem"
SERVER_KEY="$TLS_DIR/server.key"
# A server certificate for the address 127.0.0.1 only, used by the proxy-check ports.
ADDRESS_ONLY_CERT="$TLS_DIR/address-only.pem"
ADDRESS_ONLY_KEY="$TLS_DIR/address-only.key"
# The client's certificate (extendedKeyUsage clientAuth), signed by the test CA: PEM pair and PKCS#12.
CLIENT_CERT="$TLS_DIR/client.pem"
CLIENT_KEY="$TLS_DIR/client.key"
CLIENT_P12="$TLS_DIR/client.p12"
CLIENT_P12_PASSWORD=client-p12-secret
CLIENT_CN="migo-smtp test client"
QUEUE_DIR="$RUN_DIR/queue"
DATA_DIR="$RUN_DIR/data"
LOG_DIR="$RUN_DIR/log"
MAILLOG="$LOG_DIR/maillog"
SINK_LOG="$LOG_DIR/smtp-sink.log"
XOAUTH2_LOG="$LOG_DIR/xoauth2.log"
PID_DIR="$RUN_DIR/run"
SINK_PID="$PID_DIR/smtp-sink.pid"
XOAUTH2_PID="$PID_DIR/xoauth2.pid"
MAIL_BASE="$RUN_DIR/mail"
CATCHALL="catchall"
CATCHALL_MAILDIR="$MAIL_BASE/$CATCHALL"
XOAUTH2_MAILDIR="$RUN_DIR/xoauth2-mail"

# Further servers (stunnel, Dovecot, proxies, ...) live in scripts/test-servers.d/<name>.sh, one file each, so that
# this script does not grow with every one. A plug-in file, sourced here, sees every variable above (RUN_DIR, HOST,
# OFFSET, the certificates, the user) and the helpers below (log, die, pid_alive, stop_pid, port_listening); it
# registers itself by appending to these arrays:
#   PLUGIN_PACKAGES     Debian packages `install` adds (installed with apt-get when a PLUGIN_HAVE function fails)
#   PLUGIN_HAVE         functions that succeed when the plug-in's packages are installed
#   PLUGIN_START        functions that start a server (after Postfix and the certificates exist)
#   PLUGIN_STOP         functions that stop it (no error if nothing runs)
#   PLUGIN_ALIVE        functions that fail, after saying why, when a started server has died
#   PLUGIN_PORTS        functions that print the TCP ports the plug-in listens on (checked at start, waited for)
#   PLUGIN_PROPERTIES   functions that print lines for the properties file
#   PLUGIN_LOGS         log files shown when a start fails
PLUGIN_PACKAGES=()
PLUGIN_HAVE=()
PLUGIN_START=()
PLUGIN_STOP=()
PLUGIN_ALIVE=()
PLUGIN_PORTS=()
PLUGIN_PROPERTIES=()
PLUGIN_LOGS=()
for plugin in "$SCRIPT_DIR"/test-servers.d/*.sh; do
    [[ -e $plugin ]] || continue
    # shellcheck source=/dev/null
    source "$plugin"
done
unset plugin

# Runs every function named in the array $1, stopping at the first failure.
run_all() {
    local -n hooks=$1
    local hook
    for hook in "${hooks[@]}"; do
        "$hook" || return 1
    done
}

log() { printf 'test-servers: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (Postfix's master and smtp-sink -u need it)"
}

# ---------------------------------------------------------------------------------------------- install

have_system_packages() {
    run_all PLUGIN_HAVE && command -v postfix >/dev/null && command -v saslpasswd2 >/dev/null \
        && command -v openssl >/dev/null && command -v ss >/dev/null \
        && [[ -x /usr/sbin/smtp-sink ]] \
        && ls /usr/lib/*/sasl2/libsasldb.so* >/dev/null 2>&1 \
        && ls /usr/lib/*/sasl2/libcrammd5.so* >/dev/null 2>&1 \
        && ls /usr/lib/*/sasl2/libscram.so* >/dev/null 2>&1
}

install_system_packages() {
    if have_system_packages; then
        log "system packages already installed"
        return
    fi
    log "installing Postfix, Cyrus SASL and OpenSSL"
    # "No configuration": the package must not set up (or start) a system-wide mail server;
    # the tests run their own instance.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get update
    # No package may start a system-wide service of its own: the tests run private instances, and Dovecot's would
    # fail to start without a certificate, failing the install. A policy-rc.d that exits 101 is Debian's way of
    # saying so (invoke-rc.d(8)); only one added here is removed afterwards.
    local policy=/usr/sbin/policy-rc.d added_policy="" status=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && added_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        postfix libsasl2-modules libsasl2-modules-db sasl2-bin openssl iproute2 "${PLUGIN_PACKAGES[@]}" || status=$?
    [[ -z $added_policy ]] || rm -f "$policy"
    ((status == 0)) || die "apt-get install failed ($status)"
    stop_system_postfix
}

# A package install may have started the default instance (/etc/postfix); it would get in the way.
stop_system_postfix() {
    if [[ -f /etc/postfix/main.cf ]] && postfix status >/dev/null 2>&1; then
        log "stopping the system Postfix instance started by the package install"
        postfix stop || true
    fi
}

check_node() {
    command -v node >/dev/null || die "node (>= 20) is required for the XOAUTH2 server"
    command -v npm >/dev/null || die "npm is required for the XOAUTH2 server"
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [[ $major -ge 20 ]] || die "node >= 20 is required (smtp-server needs it), found $(node --version)"
}

install_node_packages() {
    check_node
    # `npm ls` fails when a dependency is missing or does not match package.json / the lockfile.
    if [[ -d $XOAUTH2_SRC/node_modules ]] && (cd "$XOAUTH2_SRC" && npm ls --omit=dev >/dev/null 2>&1); then
        log "node packages already installed"
        return
    fi
    log "installing the XOAUTH2 server's node packages"
    if [[ -f $XOAUTH2_SRC/package-lock.json ]]; then
        (cd "$XOAUTH2_SRC" && npm ci --omit=dev --no-audit --no-fund)
    else
        (cd "$XOAUTH2_SRC" && npm install --omit=dev --no-audit --no-fund)
    fi
}

cmd_install() {
    require_root
    install_system_packages
    install_node_packages
    log "install done"
}

# ---------------------------------------------------------------------------------------------- runtime dir

check_run_dir_path() {
    [[ $RUN_DIR == /* ]] || die "MIGO_TEST_SERVERS_DIR must be an absolute path: $RUN_DIR"
    [[ $RUN_DIR != "/" ]] || die "MIGO_TEST_SERVERS_DIR must not be /"
    # Postfix refuses to work below a group- or world-writable directory (such as /tmp).
    local dir
    dir="$(dirname "$RUN_DIR")"
    while [[ -d $dir ]]; do
        if [[ -n $(find "$dir" -maxdepth 0 \( -perm -g+w -o -perm -o+w \) -print) ]]; then
            die "$dir is group- or world-writable; Postfix refuses that: choose another MIGO_TEST_SERVERS_DIR"
        fi
        [[ $dir == / ]] && break
        dir="$(dirname "$dir")"
    done
}

# Empties the runtime directory (fresh certificates, queue and mailboxes on every start).
reset_run_dir() {
    check_run_dir_path
    if [[ -d $RUN_DIR && ! -e $RUN_DIR/$MARKER && -n $(ls -A "$RUN_DIR") ]]; then
        die "$RUN_DIR exists, is not empty and was not made by this script; refusing to wipe it"
    fi
    mkdir -p "$RUN_DIR"
    find "$RUN_DIR" -mindepth 1 -delete
    chown root:root "$RUN_DIR"
    chmod 0755 "$RUN_DIR"
    touch "$RUN_DIR/$MARKER"
    mkdir -p "$ETC_DIR" "$SASL_DIR" "$TLS_DIR" "$QUEUE_DIR" "$DATA_DIR" "$LOG_DIR" "$PID_DIR" \
        "$MAIL_BASE" "$XOAUTH2_MAILDIR"
    chmod 0755 "$ETC_DIR" "$SASL_DIR" "$TLS_DIR" "$QUEUE_DIR" "$LOG_DIR" "$PID_DIR" "$MAIL_BASE"
    # Postfix keeps its locks and caches here and opens them as the postfix user.
    chown postfix:postfix "$DATA_DIR"
    chmod 0700 "$DATA_DIR"
}

# ---------------------------------------------------------------------------------------------- TLS

generate_certificates() {
    log "generating a test CA and a certificate for $SERVER_NAME / $HOST"
    cat >"$TLS_DIR/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:$SERVER_NAME, IP:$HOST
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[address_only_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:$HOST
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
    openssl req -x509 -new -config "$TLS_DIR/openssl.cnf" -extensions ca_ext \
        -newkey rsa:2048 -nodes -keyout "$TLS_DIR/ca.key" -out "$CA_PEM" \
        -days 30 -subj "/O=migo-smtp tests/CN=migo-smtp test CA" 2>/dev/null
    openssl req -new -config "$TLS_DIR/openssl.cnf" \
        -newkey rsa:2048 -nodes -keyout "$SERVER_KEY" -out "$TLS_DIR/server.csr" \
        -subj "/O=migo-smtp tests/CN=$SERVER_NAME" 2>/dev/null
    openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$CA_PEM" -CAkey "$TLS_DIR/ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days 30 \
        -extfile "$TLS_DIR/openssl.cnf" -extensions server_ext -out "$SERVER_CERT" 2>/dev/null
    openssl verify -CAfile "$CA_PEM" "$SERVER_CERT" >/dev/null || die "generated certificate does not verify"
    issue_certificate address_only_ext "/O=migo-smtp tests/CN=$HOST" "$ADDRESS_ONLY_KEY" "$ADDRESS_ONLY_CERT"
    issue_certificate client_ext "/O=migo-smtp tests/CN=$CLIENT_CN" "$CLIENT_KEY" "$CLIENT_CERT"
    openssl pkcs12 -export -in "$CLIENT_CERT" -inkey "$CLIENT_KEY" -name client \
        -passout "pass:$CLIENT_P12_PASSWORD" -out "$CLIENT_P12"
    # Keys for root only (Postfix reads them before dropping privileges); certificates for any test process, and
    # the client's key and PKCS#12 too: they are the test client's own credentials.
    chmod 0600 "$TLS_DIR"/*.key
    chmod 0644 "$CA_PEM" "$SERVER_CERT" "$ADDRESS_ONLY_CERT" "$CLIENT_CERT" "$CLIENT_KEY" "$CLIENT_P12"
}

# A certificate signed by the test CA. Arguments: openssl.cnf section, subject, key file, certificate file.
issue_certificate() {
    local ext=$1 subject=$2 key=$3 cert=$4
    openssl req -new -config "$TLS_DIR/openssl.cnf" -newkey rsa:2048 -nodes -keyout "$key" -out "$cert.csr" \
        -subj "$subject" 2>/dev/null
    openssl x509 -req -in "$cert.csr" -CA "$CA_PEM" -CAkey "$TLS_DIR/ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days 30 \
        -extfile "$TLS_DIR/openssl.cnf" -extensions "$ext" -out "$cert" 2>/dev/null
    rm -f "$cert.csr"
    openssl verify -CAfile "$CA_PEM" "$cert" >/dev/null || die "generated certificate $cert does not verify"
}

# ---------------------------------------------------------------------------------------------- Postfix

write_sasl_config() {
    # Cyrus SASL reads <smtpd_sasl_path>.conf = smtpd.conf from cyrus_sasl_config_path.
    # auxprop/sasldb with secrets in plaintext: CRAM-MD5 needs the plaintext secret on the server.
    cat >"$SASL_DIR/smtpd.conf" <<EOF
pwcheck_method: auxprop
auxprop_plugin: sasldb
mech_list: PLAIN LOGIN CRAM-MD5 SCRAM-SHA-256 SCRAM-SHA-1
sasldb_path: $SASLDB
EOF
    # No -n: keep the plaintext secret (CRAM-MD5 cannot work without it).
    # Cyrus stores user + realm; clients authenticate as user@realm.
    printf '%s' "$PASSWORD" | saslpasswd2 -c -p -f "$SASLDB" -u "$SASL_REALM" "$SASL_USER"
    # A second account whose password is not ASCII, for SCRAM's SASLprep and UTF-8 handling. Cyrus does not SASLprep,
    # so the password is one that SASLprep leaves unchanged (NFKC-stable letters, no mapped or prohibited characters).
    printf '%s' "$UTF8_PASSWORD" | saslpasswd2 -c -p -f "$SASLDB" -u "$SASL_REALM" "$UTF8_SASL_USER"
    # smtpd reads the db as the postfix user.
    chown root:postfix "$SASLDB"
    chmod 0640 "$SASLDB"
}

write_main_cf() {
    local nobody_uid nogroup_gid
    nobody_uid="$(id -u nobody)"
    nogroup_gid="$(getent group nogroup | cut -d: -f3)"
    cat >"$ETC_DIR/main.cf" <<EOF
# Generated by scripts/test-servers.sh; rewritten on every start.
compatibility_level = 3.6

# A private instance: everything lives in $RUN_DIR.
queue_directory = $QUEUE_DIR
# Must be owned by postfix (else: master.lock: Permission denied).
data_directory = $DATA_DIR

myhostname = $SERVER_NAME
mydomain = localdomain
myorigin = \$myhostname
inet_interfaces = $HOST
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
# Nothing is delivered by the local agent; all domains are "virtual" (see below).
mydestination =
relay_domains =
alias_maps =
alias_database =
biff = no

# No syslog on these machines: log to a file through the postlogd service (see master.cf).
# The prefixes list is the whitelist of allowed log locations (default: /var and /dev/stdout only).
maillog_file = $MAILLOG
maillog_file_prefixes = $LOG_DIR

# Deliver every recipient, of every domain, into one catch-all Maildir (trailing slash = Maildir)
# owned by nobody, and nothing anywhere else: there are no smtp/relay services in master.cf either.
virtual_mailbox_domains = static:all
virtual_mailbox_base = $MAIL_BASE
virtual_mailbox_maps = static:$CATCHALL/
virtual_uid_maps = static:$nobody_uid
virtual_gid_maps = static:$nogroup_gid
default_transport = error:outbound delivery is disabled on this test server
relay_transport = error:outbound delivery is disabled on this test server

# Postfix would add Message-ID/Date and rewrite headers for local (mynetworks) clients; turn that off
# so the delivered message shows exactly what the client sent.
local_header_rewrite_clients =
always_add_missing_headers = no

# Strict like commercial relays since the 2023 SMTP-smuggling fixes. The exclusions default to
# \$mynetworks, which would exempt our 127.0.0.1 clients: empty them.
smtpd_forbid_bare_newline = reject
smtpd_forbid_bare_newline_exclusions =
# Pipelining where RFC 2920 forbids it (before the greeting, EHLO+MAIL in one write) gets 554 + disconnect.
smtpd_forbid_unauth_pipelining = yes

message_size_limit = 10240000

# TLS server side; each port in master.cf says whether TLS is required, offered or off.
smtpd_tls_cert_file = $SERVER_CERT
smtpd_tls_key_file = $SERVER_KEY
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = no

# Cyrus SASL with our own config directory (smtpd.conf, sasldb2). Ports enable AUTH in master.cf.
smtpd_sasl_type = cyrus
smtpd_sasl_path = smtpd
cyrus_sasl_config_path = $SASL_DIR
# noanonymous only (not noplaintext): PLAIN/LOGIN must be offered; the port decides whether TLS comes first.
smtpd_sasl_security_options = noanonymous
smtpd_sasl_tls_security_options = \$smtpd_sasl_security_options
broken_sasl_auth_clients = no

# anvil's rate window, for the limited ports' per-client rates (master.cf). It is anvil's, hence global, but the
# other ports never reach a limit: they keep the default smtpd_client_event_limit_exceptions (\$mynetworks, which
# holds every 127/8 client), so anvil never refuses them anything.
anvil_rate_time_unit = ${LIMIT_UNIT_SECONDS}s

# Every port requires AUTH to send anything, even from 127.0.0.1 (mynetworks grants nothing):
# an unauthenticated RCPT TO gets "554 5.7.1 ... Access denied".
smtpd_client_restrictions = permit_sasl_authenticated, reject
smtpd_relay_restrictions = permit_sasl_authenticated, reject
EOF
}

# The -o lines that turn an smtpd service into the limited relay. No peer name lookup: clients come from
# arbitrary 127.x.y.z addresses, and a slow resolver must not delay their greeting.
# Arguments: messages, connections and AUTH commands per unit.
limited_overrides() {
    cat <<EOF
  -o smtpd_client_event_limit_exceptions=
  -o smtpd_client_connection_count_limit=$LIMIT_CONNECTIONS
  -o smtpd_client_connection_rate_limit=$2
  -o smtpd_client_message_rate_limit=$1
  -o smtpd_client_auth_rate_limit=$3
  -o smtpd_recipient_limit=$LIMIT_RECIPIENTS
  -o smtpd_soft_error_limit=$LIMIT_SOFT_ERRORS
  -o smtpd_hard_error_limit=$LIMIT_HARD_ERRORS
  -o smtpd_peername_lookup=no
EOF
}

# The -o lines of the client-certificate ports: ask for and require a client certificate that the test CA signed,
# and let such a client (and only it) send, without AUTH.
client_cert_overrides() {
    cat <<EOF
  -o smtpd_tls_ask_ccert=yes
  -o smtpd_tls_req_ccert=yes
  -o smtpd_tls_CAfile=$CA_PEM
  -o smtpd_tls_received_header=yes
  -o smtpd_sasl_auth_enable=no
  -o smtpd_client_restrictions=permit_tls_all_clientcerts,reject
  -o smtpd_relay_restrictions=permit_tls_all_clientcerts,reject
EOF
}

write_master_cf() {
    cat >"$ETC_DIR/master.cf" <<EOF
# Generated by scripts/test-servers.sh; rewritten on every start.
# chroot (column 5) is "n" everywhere: a chrooted smtpd could not see the sasldb or the certificates.
# There are no smtp, relay, lmtp or local services: no mail can leave through them.
#
# service                type  private unpriv  chroot  wakeup  maxproc command + args
# Submission: STARTTLS is mandatory and AUTH is neither offered nor accepted before it.
$HOST:$SUBMISSION_PORT   inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
# Implicit TLS ("smtps", RFC 8314).
$HOST:$SMTPS_PORT        inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
# Cleartext only, AUTH still advertised: the client must refuse to send PLAIN/LOGIN here.
$HOST:$PLAIN_PORT        inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/plain
  -o smtpd_tls_security_level=none
  -o smtpd_sasl_auth_enable=yes
# The limited relay: as submission and plain above, plus per-client limits (see the top of scripts/test-servers.sh).
# Emptying smtpd_client_event_limit_exceptions here, and only here, is what makes loopback clients subject to them.
$HOST:$LIMITED_SUBMISSION_PORT   inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/limited-submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
$(limited_overrides "$LIMIT_MESSAGES" "$LIMIT_CONNECTION_RATE" "$LIMIT_AUTH")
$HOST:$LIMITED_PLAIN_PORT        inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/limited-plain
  -o smtpd_tls_security_level=none
  -o smtpd_sasl_auth_enable=yes
$(limited_overrides "$LIMIT_MESSAGES" "$LIMIT_CONNECTION_RATE" "$LIMIT_AUTH")
$HOST:$BULK_LIMITED_PORT        inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/limited-bulk
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
$(limited_overrides "$BULK_LIMIT_MESSAGES" "$BULK_LIMIT_CONNECTION_RATE" "$BULK_LIMIT_AUTH")
# Client certificates: TLS required, a certificate signed by the test CA required (no AUTH offered); a client with
# one may send, any other is refused. The Received header records the verified client certificate.
$HOST:$CLIENT_CERT_PORT         inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/client-cert
  -o smtpd_tls_security_level=encrypt
$(client_cert_overrides)
$HOST:$CLIENT_CERT_SMTPS_PORT   inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/client-cert-smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
$(client_cert_overrides)
# Proxy checks: as submission and smtps, but with a certificate for 127.0.0.1 only (see PROXY_CHECK_PORT).
$HOST:$PROXY_CHECK_PORT         inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/proxy-check
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_cert_file=$ADDRESS_ONLY_CERT
  -o smtpd_tls_key_file=$ADDRESS_ONLY_KEY
$HOST:$PROXY_CHECK_SMTPS_PORT   inet  n       -       n       -       -       smtpd
  -o syslog_name=postfix/proxy-check-smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_cert_file=$ADDRESS_ONLY_CERT
  -o smtpd_tls_key_file=$ADDRESS_ONLY_KEY
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
virtual    unix  -       n       n       -       -       virtual
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
# Writes maillog_file (no syslog here).
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
}

prepare_maildir() {
    # The virtual agent delivers as nobody:nogroup, so the Maildir must be theirs.
    mkdir -p "$CATCHALL_MAILDIR"/{new,cur,tmp}
    chown -R nobody:nogroup "$CATCHALL_MAILDIR"
    chmod 0755 "$CATCHALL_MAILDIR" "$CATCHALL_MAILDIR"/{new,cur,tmp}
}

start_postfix() {
    write_sasl_config
    write_main_cf
    write_master_cf
    prepare_maildir
    postfix -c "$ETC_DIR" check || die "postfix check failed (see $MAILLOG)"
    log "starting Postfix (submission $SUBMISSION_PORT, smtps $SMTPS_PORT, plain $PLAIN_PORT," \
        "limited submission $LIMITED_SUBMISSION_PORT, limited plain $LIMITED_PLAIN_PORT, limited bulk $BULK_LIMITED_PORT)"
    postfix -c "$ETC_DIR" start >/dev/null 2>&1 || {
        tail_logs
        die "postfix start failed"
    }
}

postfix_running() {
    [[ -f $ETC_DIR/main.cf ]] && postfix -c "$ETC_DIR" status >/dev/null 2>&1
}

stop_postfix() {
    if postfix_running; then
        log "stopping Postfix"
        # `postfix stop` waits up to 5 s for the master (and its process group) to exit, then kills it.
        postfix -c "$ETC_DIR" stop >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------- background processes

# True if the pid in $1 is alive and its command line contains $2 (so a recycled pid is left alone).
pid_alive() {
    local pid_file=$1 expected=$2 pid cmdline
    [[ -f $pid_file ]] || return 1
    pid="$(cat "$pid_file")"
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    # Empty for a zombie, which counts as dead.
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
    [[ $cmdline == *"$expected"* ]]
}

stop_pid() {
    local name=$1 pid_file=$2 expected=$3 pid i
    if pid_alive "$pid_file" "$expected"; then
        pid="$(cat "$pid_file")"
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            pid_alive "$pid_file" "$expected" || break
            sleep 0.1
        done
        if pid_alive "$pid_file" "$expected"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$pid_file"
}

start_sink() {
    log "starting smtp-sink on $SINK_PORT"
    # -u: it refuses to run as root; 1024: listen backlog. setsid: detached from the caller's
    # process group, so a Ctrl-C in the calling shell does not take it down.
    setsid /usr/sbin/smtp-sink -u nobody "$HOST:$SINK_PORT" 1024 </dev/null >>"$SINK_LOG" 2>&1 &
    echo $! >"$SINK_PID"
}

start_xoauth2() {
    [[ -d $XOAUTH2_SRC/node_modules ]] || die "node packages missing: run scripts/test-servers.sh install"
    log "starting the XOAUTH2 server (smtp-server) on $XOAUTH2_PORT"
    MIGO_XOAUTH2_HOST="$HOST" MIGO_XOAUTH2_PORT="$XOAUTH2_PORT" \
        MIGO_TLS_CERT="$SERVER_CERT" MIGO_TLS_KEY="$SERVER_KEY" \
        MIGO_XOAUTH2_MAILDIR="$XOAUTH2_MAILDIR" \
        MIGO_TEST_USER="$USER_ADDRESS" MIGO_TEST_PASSWORD="$PASSWORD" MIGO_TEST_OAUTH_TOKEN="$OAUTH_TOKEN" \
        setsid node "$XOAUTH2_SRC/server.js" </dev/null >>"$XOAUTH2_LOG" 2>&1 &
    echo $! >"$XOAUTH2_PID"
}

# ---------------------------------------------------------------------------------------------- ports

all_ports() {
    echo "$SUBMISSION_PORT $SMTPS_PORT $PLAIN_PORT $LIMITED_SUBMISSION_PORT $LIMITED_PLAIN_PORT $BULK_LIMITED_PORT" \
        "$CLIENT_CERT_PORT $CLIENT_CERT_SMTPS_PORT $PROXY_CHECK_PORT $PROXY_CHECK_SMTPS_PORT" \
        "$SINK_PORT $XOAUTH2_PORT $(run_all PLUGIN_PORTS | tr '\n' ' ')"
}

# Checks the listening sockets rather than connecting: Postfix logs every probe as a lost connection.
# (No `ss | grep -q` pipeline: with pipefail, grep's early exit could turn a match into a failure.)
port_listening() {
    local sockets
    sockets="$(ss -Hltn "sport = :$1" | awk '{print $4}')"
    grep -qE "^(127\.0\.0\.1|0\.0\.0\.0|\*|\[::\]|\[::1\]):$1\$" <<<"$sockets"
}

ensure_ports_free() {
    local port busy=()
    for port in $(all_ports); do
        port_listening "$port" && busy+=("$port")
    done
    if ((${#busy[@]})); then
        ss -Hltnp | grep -E ":($(IFS='|'; echo "${busy[*]}"))\b" >&2 || true
        die "port(s) ${busy[*]} already in use by something this script did not start"
    fi
}

tail_logs() {
    local f
    for f in "$MAILLOG" "$SINK_LOG" "$XOAUTH2_LOG" "${PLUGIN_LOGS[@]}"; do
        if [[ -s $f ]]; then
            printf '\n----- last lines of %s -----\n' "$f" >&2
            tail -n 25 "$f" >&2
        fi
    done
}

# Returns non-zero, after saying why, when a port is still closed after START_TIMEOUT seconds
# or when a background server has already died.
wait_for_ports() {
    local deadline=$((SECONDS + START_TIMEOUT)) port missing
    while :; do
        missing=()
        for port in $(all_ports); do
            port_listening "$port" || missing+=("$port")
        done
        ((${#missing[@]} == 0)) && return 0
        if ! pid_alive "$SINK_PID" smtp-sink; then
            log "smtp-sink exited (see $SINK_LOG)"
            return 1
        fi
        if ! pid_alive "$XOAUTH2_PID" server.js; then
            log "the XOAUTH2 server exited (see $XOAUTH2_LOG)"
            return 1
        fi
        run_all PLUGIN_ALIVE || return 1
        if ((SECONDS >= deadline)); then
            log "port(s) ${missing[*]} not listening after ${START_TIMEOUT}s"
            return 1
        fi
        sleep 0.2
    done
}

check_ports() {
    local port
    for port in $(all_ports); do
        if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
            die "invalid port: $port"
        fi
    done
}

# ---------------------------------------------------------------------------------------------- properties

write_properties() {
    mkdir -p "$(dirname "$PROPERTIES")"
    local tmp="$PROPERTIES.tmp.$$"
    cat >"$tmp" <<EOF
# Written by scripts/test-servers.sh start; deleted by stop.
host=$HOST
hostname=$SERVER_NAME
ca.pem=$CA_PEM
postfix.submission.port=$SUBMISSION_PORT
postfix.smtps.port=$SMTPS_PORT
postfix.plain.port=$PLAIN_PORT
postfix.maildir=$CATCHALL_MAILDIR
postfix.log=$MAILLOG
sink.port=$SINK_PORT
xoauth2.port=$XOAUTH2_PORT
xoauth2.maildir=$XOAUTH2_MAILDIR
xoauth2.log=$XOAUTH2_LOG
user=$USER_ADDRESS
password=$PASSWORD
oauth.token=$OAUTH_TOKEN
# A second Cyrus account whose password is UTF-8 (the file is read as UTF-8).
utf8.user=$UTF8_USER_ADDRESS
utf8.password=$UTF8_PASSWORD
# The rate-limited relay (same Postfix, user, CA and Maildir); anvil limits per client address and per port.
# Rates are per postfix.limited.unit.seconds, in a fixed window opened by the client's first event.
postfix.limited.submission.port=$LIMITED_SUBMISSION_PORT
postfix.limited.plain.port=$LIMITED_PLAIN_PORT
postfix.limited.unit.seconds=$LIMIT_UNIT_SECONDS
postfix.limited.connections=$LIMIT_CONNECTIONS
postfix.limited.connections.per.unit=$LIMIT_CONNECTION_RATE
postfix.limited.messages.per.unit=$LIMIT_MESSAGES
postfix.limited.auth.per.unit=$LIMIT_AUTH
postfix.limited.recipients=$LIMIT_RECIPIENTS
postfix.limited.soft.error.limit=$LIMIT_SOFT_ERRORS
postfix.limited.hard.error.limit=$LIMIT_HARD_ERRORS
# The bulk-job limited port: STARTTLS and AUTH as on submission; the limits above but these per unit.
postfix.limited.bulk.port=$BULK_LIMITED_PORT
postfix.limited.bulk.messages.per.unit=$BULK_LIMIT_MESSAGES
postfix.limited.bulk.connections.per.unit=$BULK_LIMIT_CONNECTION_RATE
postfix.limited.bulk.auth.per.unit=$BULK_LIMIT_AUTH
# Client certificates: the relay requires one signed by ca.pem (no AUTH); the client's PEM pair and PKCS#12.
postfix.client.cert.port=$CLIENT_CERT_PORT
postfix.client.cert.smtps.port=$CLIENT_CERT_SMTPS_PORT
client.cert.pem=$CLIENT_CERT
client.key.pem=$CLIENT_KEY
client.p12=$CLIENT_P12
client.p12.password=$CLIENT_P12_PASSWORD
client.cert.cn=$CLIENT_CN
# Proxy checks: submission and smtps again, with a certificate for the address $HOST only (not for $SERVER_NAME).
postfix.proxy.check.port=$PROXY_CHECK_PORT
postfix.proxy.check.smtps.port=$PROXY_CHECK_SMTPS_PORT
# Nothing listens on this port (a relay that a proxy cannot reach).
proxy.unreachable.port=$PROXY_UNREACHABLE_PORT
$(run_all PLUGIN_PROPERTIES)
EOF
    mv -f "$tmp" "$PROPERTIES"
}

# ---------------------------------------------------------------------------------------------- commands

check_installed() {
    have_system_packages || die "Postfix/Cyrus SASL/OpenSSL missing: run scripts/test-servers.sh install"
    check_node
}

cmd_stop() {
    require_root
    rm -f "$PROPERTIES"
    run_all PLUGIN_STOP || true
    stop_pid "the XOAUTH2 server" "$XOAUTH2_PID" server.js
    stop_pid smtp-sink "$SINK_PID" smtp-sink
    stop_postfix
}

cmd_start() {
    require_root
    check_installed
    check_ports
    cmd_stop
    ensure_ports_free
    reset_run_dir
    generate_certificates
    start_postfix
    start_sink
    start_xoauth2
    if ! run_all PLUGIN_START; then
        tail_logs
        cmd_stop
        die "start failed"
    fi
    if ! wait_for_ports; then
        tail_logs
        # Leave nothing half-started behind; the logs stay in $RUN_DIR until the next start.
        cmd_stop
        die "start failed"
    fi
    write_properties
    log "all servers listen; properties in $PROPERTIES"
}

cmd_status() {
    local port
    if postfix_running; then
        echo "postfix:  running (master pid $(sed -n 1p "$QUEUE_DIR/pid/master.pid" | tr -d ' '), config $ETC_DIR)"
    else
        echo "postfix:  not running"
    fi
    if pid_alive "$SINK_PID" smtp-sink; then
        echo "smtp-sink: running (pid $(cat "$SINK_PID"))"
    else
        echo "smtp-sink: not running"
    fi
    if pid_alive "$XOAUTH2_PID" server.js; then
        echo "xoauth2:  running (pid $(cat "$XOAUTH2_PID"))"
    else
        echo "xoauth2:  not running"
    fi
    for port in $(all_ports); do
        if port_listening "$port"; then
            echo "port $port: listening"
        else
            echo "port $port: closed"
        fi
    done
    if [[ -f $PROPERTIES ]]; then
        echo "properties: $PROPERTIES"
    else
        echo "properties: none ($PROPERTIES)"
    fi
}

usage() {
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
}

main() {
    [[ $# -eq 1 ]] || usage
    case "$1" in
        install) cmd_install ;;
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        *) usage ;;
    esac
}

main "$@"
