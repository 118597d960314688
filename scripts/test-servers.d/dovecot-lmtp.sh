# shellcheck shell=bash
# Plug-in for scripts/test-servers.sh: Dovecot's LMTP server (RFC 2033), the real LMTP server the LMTP tests run
# against. Sourced by test-servers.sh, which provides RUN_DIR, HOST, OFFSET, the certificates and the helpers.
#
# A private Dovecot instance (its own base_dir and config under $RUN_DIR, nothing from /etc/dovecot) with only the
# lmtp protocol:
#   - an inet listener on $HOST:$LMTP_PORT (default 10640 + OFFSET), STARTTLS offered with the test CA's certificate;
#   - a unix listener at $LMTP_SOCKET;
#   - a passwd-file userdb with three users whose mail goes to Maildirs $LMTP_MAIL_BASE/<local part>, delivered as
#     nobody:nogroup: bob and carol without limit, dave with a quota of $LMTP_QUOTA_BYTES bytes, so that a larger
#     message is refused for him *after the data* (552 5.2.2 ... Quota exceeded), while his RCPT is accepted.
# Dovecot's replies: an unknown recipient gets "550 5.1.1 <addr> User doesn't exist: addr" at RCPT; after the data
# each accepted recipient gets its own "250 2.0.0 <addr> <session id> Saved".
# Environment: MIGO_LMTP_PORT overrides the port.

LMTP_PORT="${MIGO_LMTP_PORT:-$((10640 + OFFSET))}"
LMTP_DIR="$RUN_DIR/dovecot-lmtp"
LMTP_CONF="$LMTP_DIR/dovecot.conf"
LMTP_BASE_DIR="$LMTP_DIR/run"
LMTP_STATE_DIR="$LMTP_DIR/state"
LMTP_USERS_FILE="$LMTP_DIR/users"
LMTP_SOCKET="$LMTP_DIR/lmtp.sock"
LMTP_MAIL_BASE="$RUN_DIR/lmtp-mail"
LMTP_LOG="$LOG_DIR/dovecot-lmtp.log"
LMTP_DOMAIN=lmtp.test
LMTP_QUOTA_BYTES=2048

PLUGIN_PACKAGES+=(dovecot-core dovecot-lmtpd)
PLUGIN_HAVE+=(lmtp_have)
PLUGIN_START+=(lmtp_start)
PLUGIN_STOP+=(lmtp_stop)
PLUGIN_ALIVE+=(lmtp_alive)
PLUGIN_PORTS+=(lmtp_ports)
PLUGIN_PROPERTIES+=(lmtp_properties)
PLUGIN_LOGS+=("$LMTP_LOG")

lmtp_have() {
    command -v dovecot >/dev/null && [[ -x /usr/lib/dovecot/lmtp ]] \
        && [[ -e /usr/lib/dovecot/modules/lib10_quota_plugin.so ]]
}

lmtp_write_config() {
    mkdir -p "$LMTP_BASE_DIR" "$LMTP_STATE_DIR" "$LMTP_MAIL_BASE"
    chmod 0755 "$LMTP_DIR" "$LMTP_BASE_DIR" "$LMTP_MAIL_BASE"
    chown nobody:nogroup "$LMTP_MAIL_BASE"
    # user:password:uid:gid:gecos:home:shell:extra fields (userdb fields here, as the file is the userdb).
    cat >"$LMTP_USERS_FILE" <<EOF
bob@$LMTP_DOMAIN:{PLAIN}bob-secret::::::
carol@$LMTP_DOMAIN:{PLAIN}carol-secret::::::
dave@$LMTP_DOMAIN:{PLAIN}dave-secret::::::userdb_quota_rule=*:storage=${LMTP_QUOTA_BYTES}B
EOF
    chmod 0644 "$LMTP_USERS_FILE"
    cat >"$LMTP_CONF" <<EOF
# Written by scripts/test-servers.d/dovecot-lmtp.sh on every start.
instance_name = migo-lmtp-$OFFSET
base_dir = $LMTP_BASE_DIR
state_dir = $LMTP_STATE_DIR
protocols = lmtp
listen = $HOST
log_path = $LMTP_LOG
default_internal_user = dovecot
default_login_user = dovenull
ssl = yes
ssl_cert = <$SERVER_CERT
ssl_key = <$SERVER_KEY
ssl_min_protocol = TLSv1.2
auth_mechanisms = plain
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
mail_location = maildir:$LMTP_MAIL_BASE/%n
mail_plugins = quota
lmtp_rcpt_check_quota = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN $LMTP_USERS_FILE
}
userdb {
  driver = passwd-file
  args = $LMTP_USERS_FILE
  default_fields = uid=nobody gid=nogroup home=$LMTP_MAIL_BASE/%n
}
plugin {
  quota = maildir:User quota
}
service lmtp {
  inet_listener lmtp {
    address = $HOST
    port = $LMTP_PORT
  }
  unix_listener $LMTP_SOCKET {
    mode = 0666
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
EOF
}

lmtp_start() {
    lmtp_write_config
    log "starting Dovecot LMTP on $HOST:$LMTP_PORT and $LMTP_SOCKET"
    # Its own streams: the daemon must not hold the caller's stdout open (a `start | tail` would never end).
    dovecot -c "$LMTP_CONF" </dev/null >>"$LMTP_LOG" 2>&1 || { log "dovecot failed to start (see $LMTP_LOG)"; return 1; }
}

lmtp_master_pid() {
    [[ -f $LMTP_BASE_DIR/master.pid ]] && cat "$LMTP_BASE_DIR/master.pid"
}

lmtp_stop() {
    local pid i
    pid="$(lmtp_master_pid 2>/dev/null)" || return 0
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    if [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" == *dovecot* ]]; then
        log "stopping Dovecot LMTP (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do
            [[ -e /proc/$pid ]] || break
            sleep 0.1
        done
        [[ -e /proc/$pid ]] && kill -KILL "$pid" 2>/dev/null
    fi
    return 0
}

lmtp_alive() {
    local pid
    pid="$(lmtp_master_pid 2>/dev/null)" || { log "Dovecot LMTP did not start (see $LMTP_LOG)"; return 1; }
    if [[ "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" != *dovecot* ]]; then
        log "Dovecot LMTP exited (see $LMTP_LOG)"
        return 1
    fi
}

lmtp_ports() {
    echo "$LMTP_PORT"
}

lmtp_properties() {
    cat <<EOF
# Dovecot LMTP (RFC 2033): TCP port (STARTTLS with ca.pem's certificate), Unix socket, users and their Maildirs.
lmtp.port=$LMTP_PORT
lmtp.socket=$LMTP_SOCKET
lmtp.log=$LMTP_LOG
lmtp.user1=bob@$LMTP_DOMAIN
lmtp.user1.maildir=$LMTP_MAIL_BASE/bob
lmtp.user2=carol@$LMTP_DOMAIN
lmtp.user2.maildir=$LMTP_MAIL_BASE/carol
lmtp.quota.user=dave@$LMTP_DOMAIN
lmtp.quota.user.maildir=$LMTP_MAIL_BASE/dave
lmtp.quota.bytes=$LMTP_QUOTA_BYTES
lmtp.unknown.user=nobody-here@$LMTP_DOMAIN
EOF
}
