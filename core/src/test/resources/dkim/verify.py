"""Verifies the first DKIM-Signature of a message with dkimpy (Debian's python3-dkim), an independent verifier.

Usage: verify.py MESSAGE_FILE NAME=RECORD...
  NAME    the key record's name, e.g. sel._domainkey.example.test
  RECORD  its TXT value, e.g. "v=DKIM1; k=ed25519; p=..."
No DNS is asked: the records come from the command line. A Maildir stores LF line ends; they are made CRLF first.
Prints "pass" or "fail" and exits 0 or 1 (2 for a usage error); dkimpy's own log goes to stderr.
"""
import logging
import re
import sys

import dkim


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        message = re.sub(rb"(?<!\r)\n", b"\r\n", f.read())
    records = {}
    for arg in argv[2:]:
        name, _, record = arg.partition("=")
        records[name.lower().rstrip(".")] = record.encode("ascii")

    def dnsfunc(name, timeout=5, **kwargs):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        return records.get(name.lower().rstrip("."))

    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
    ok = dkim.verify(message, logger=logging.getLogger("dkim"), dnsfunc=dnsfunc)
    print("pass" if ok else "fail")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # a crash is not a verdict: exit 2, which the test reports as an error, never as "fail"
        print("verify.py failed: %r" % (e,), file=sys.stderr)
        sys.exit(2)
