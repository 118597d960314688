# shellcheck shell=bash
# Dovecot's submission service (RFC 6409) with an oauth2 passdb, for OAUTHBEARER (RFC 7628) and XOAUTH2 against a
# real server. Sourced by scripts/test-servers.sh, whose variables and helpers it uses.
#
#   submission (STARTTLS, test certificate)   10610 + OFFSET on 127.0.0.1
#   token introspection (RFC 7662, HTTP)       10611 + OFFSET on 127.0.0.1 (test-servers/oauth2-introspection)
#
# Dovecot asks the introspection endpoint whether a bearer token is active and whose it is; the one active token is
# $OAUTH_TOKEN for $USER_ADDRESS. Accepted mail is relayed to Postfix's plain port (logging in there as that user)
# and lands in the catch-all Maildir.
# A bad token gets Dovecot's error challenge 334 {"status":"invalid_token",...}, then 535 after the client's ^A.
# Dovecot treats a client on its own address as secure and offers AUTH without TLS there; the tests use STARTTLS.

DOVECOT_SUBMISSION_PORT="${MIGO_DOVECOT_SUBMISSION_PORT:-$((10610 + OFFSET))}"
DOVECOT_INTROSPECTION_PORT="${MIGO_DOVECOT_INTROSPECTION_PORT:-$((10611 + OFFSET))}"
DOVECOT_DIR="$RUN_DIR/dovecot-submission"
DOVECOT_CONF="$DOVECOT_DIR/dovecot.conf"
DOVECOT_LOG="$LOG_DIR/dovecot-submission.log"
DOVECOT_OAUTH_SCOPE="mail.send"
INTROSPECTION_SRC="$REPO_ROOT/test-servers/oauth2-introspection/server.py"
INTROSPECTION_LOG="$LOG_DIR/oauth2-introspection.log"
INTROSPECTION_PID="$PID_DIR/oauth2-introspection.pid"

PLUGIN_PACKAGES+=(dovecot-core dovecot-submissiond python3)
PLUGIN_HAVE+=(dovecot_submission_have)
PLUGIN_START+=(dovecot_submission_start)
PLUGIN_STOP+=(dovecot_submission_stop)
PLUGIN_ALIVE+=(dovecot_submission_alive)
PLUGIN_PORTS+=(dovecot_submission_ports)
PLUGIN_PROPERTIES+=(dovecot_submission_properties)
PLUGIN_LOGS+=("$DOVECOT_LOG" "$INTROSPECTION_LOG")

dovecot_submission_have() {
    command -v dovecot >/dev/null && [[ -x /usr/lib/dovecot/submission ]] && [[ -x /usr/bin/python3 ]]
}

dovecot_submission_ports() {
    echo "$DOVECOT_SUBMISSION_PORT"
    echo "$DOVECOT_INTROSPECTION_PORT"
}

dovecot_submission_properties() {
    cat <<EOP
# Dovecot submission (STARTTLS) with an oauth2 passdb: OAUTHBEARER and XOAUTH2 with oauth.token for user; relays to
# Postfix's plain port, so accepted mail lands in postfix.maildir.
dovecot.submission.port=$DOVECOT_SUBMISSION_PORT
dovecot.submission.log=$DOVECOT_LOG
dovecot.oauth.scope=$DOVECOT_OAUTH_SCOPE
EOP
}

# A package install starts Debian's own instance (/etc/dovecot, listening on every interface); the tests need none of
# it. It is stopped only while its configuration is the package's untouched default (dpkg --verify finds no change),
# so that a Dovecot someone configured on this machine is left alone.
dovecot_submission_stop_system_instance() {
    pid_alive /run/dovecot/master.pid /etc/dovecot/dovecot.conf || return 0
    if [[ -n $(dpkg --verify dovecot-core dovecot-submissiond 2>/dev/null) ]]; then
        log "warning: a configured system Dovecot (/etc/dovecot) runs; leaving it alone"
        return 0
    fi
    log "stopping the system Dovecot instance started by the package install"
    doveadm -c /etc/dovecot/dovecot.conf stop >/dev/null 2>&1 || true
}

dovecot_submission_write_config() {
    mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state" "$DOVECOT_DIR/home"
    chmod 0755 "$DOVECOT_DIR" "$DOVECOT_DIR/run" "$DOVECOT_DIR/state"
    chown nobody:nogroup "$DOVECOT_DIR/home"
    cat >"$DOVECOT_DIR/dovecot-oauth2.conf.ext" <<EOF2
introspection_mode = post
introspection_url = http://$HOST:$DOVECOT_INTROSPECTION_PORT/introspect
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
scope = $DOVECOT_OAUTH_SCOPE
EOF2
    cat >"$DOVECOT_CONF" <<EOF2
# Written by scripts/test-servers.d/dovecot-submission.sh; everything under $DOVECOT_DIR.
instance_name = migo-dovecot-submission-$OFFSET
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $DOVECOT_LOG
info_log_path = $DOVECOT_LOG
protocols = submission
listen = $HOST
hostname = $SERVER_NAME
postmaster_address = postmaster@$SASL_REALM
# The submission service opens the user's storage (for BURL); nothing is stored there.
mail_location = maildir:~/Maildir
ssl = yes
ssl_cert = <$SERVER_CERT
ssl_key = <$SERVER_KEY
disable_plaintext_auth = yes
auth_mechanisms = oauthbearer xoauth2
submission_relay_host = $HOST
submission_relay_port = $PLAIN_PORT
submission_relay_ssl = no
# Postfix requires AUTH on every port: Dovecot logs in as the test user to relay.
submission_relay_user = $USER_ADDRESS
submission_relay_password = $PASSWORD
passdb {
  driver = oauth2
  mechanisms = oauthbearer xoauth2
  args = $DOVECOT_DIR/dovecot-oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DOVECOT_DIR/home/%u
}
service submission-login {
  inet_listener submission {
    address = $HOST
    port = $DOVECOT_SUBMISSION_PORT
  }
}
EOF2
}

dovecot_submission_start() {
    dovecot_submission_stop_system_instance
    [[ -f $INTROSPECTION_SRC ]] || { log "missing $INTROSPECTION_SRC"; return 1; }
    log "starting the OAuth 2.0 introspection endpoint on $DOVECOT_INTROSPECTION_PORT"
    MIGO_INTROSPECTION_HOST="$HOST" MIGO_INTROSPECTION_PORT="$DOVECOT_INTROSPECTION_PORT" \
        MIGO_OAUTH_TOKEN="$OAUTH_TOKEN" MIGO_OAUTH_USER="$USER_ADDRESS" MIGO_OAUTH_SCOPE="$DOVECOT_OAUTH_SCOPE" \
        setsid /usr/bin/python3 "$INTROSPECTION_SRC" </dev/null >>"$INTROSPECTION_LOG" 2>&1 &
    echo $! >"$INTROSPECTION_PID"
    dovecot_submission_write_config
    log "starting Dovecot submission on $DOVECOT_SUBMISSION_PORT (relaying to $PLAIN_PORT)"
    dovecot -c "$DOVECOT_CONF" >>"$DOVECOT_LOG" 2>&1 || { log "dovecot failed to start (see $DOVECOT_LOG)"; return 1; }
}

dovecot_submission_alive() {
    if ! pid_alive "$INTROSPECTION_PID" server.py; then
        log "the OAuth 2.0 introspection endpoint exited (see $INTROSPECTION_LOG)"
        return 1
    fi
    if ! pid_alive "$DOVECOT_DIR/run/master.pid" dovecot; then
        log "Dovecot submission exited (see $DOVECOT_LOG)"
        return 1
    fi
}

dovecot_submission_stop() {
    stop_pid "Dovecot submission" "$DOVECOT_DIR/run/master.pid" dovecot
    stop_pid "the OAuth 2.0 introspection endpoint" "$INTROSPECTION_PID" server.py
}
