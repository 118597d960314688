# shellcheck shell=bash
# DKIM verification for the tests: Debian's python3-dkim (dkimpy), an independent verifier that DkimIT runs on the
# messages Postfix delivered, with the key records passed in (no DNS). No server, no port.
# The Python with Debian's packages is /usr/bin/python3 (a python3 earlier on PATH may be another one).

DKIM_PYTHON=/usr/bin/python3

dkim_have() {
    [[ -x $DKIM_PYTHON ]] && "$DKIM_PYTHON" -c 'import dkim' 2>/dev/null
}

dkim_properties() {
    echo "dkim.python=$DKIM_PYTHON"
}

PLUGIN_PACKAGES+=(python3-dkim)
PLUGIN_HAVE+=(dkim_have)
PLUGIN_PROPERTIES+=(dkim_properties)
