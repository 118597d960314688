"""OAuth 2.0 token introspection (RFC 7662) for the tests' Dovecot: one valid token, everything else inactive.

Dovecot's oauth2 passdb asks this endpoint whether the bearer token a client sent is active and whose it is.
Standard library only; run with /usr/bin/python3. Configuration by environment:
  MIGO_INTROSPECTION_HOST, MIGO_INTROSPECTION_PORT   where to listen (loopback)
  MIGO_OAUTH_TOKEN, MIGO_OAUTH_USER, MIGO_OAUTH_SCOPE the one active token, its user and scope
The token may come as a form field "token" (POST, RFC 7662), a query parameter, or an Authorization: Bearer header,
which covers Dovecot's introspection_mode = post, get and auth.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = os.environ.get("MIGO_INTROSPECTION_HOST", "127.0.0.1")
PORT = int(os.environ["MIGO_INTROSPECTION_PORT"])
TOKEN = os.environ["MIGO_OAUTH_TOKEN"]
USER = os.environ["MIGO_OAUTH_USER"]
SCOPE = os.environ.get("MIGO_OAUTH_SCOPE", "mail")

if not HOST.startswith("127."):
    sys.exit("introspection server: refusing to listen outside 127.0.0.0/8: " + HOST)


class Introspection(BaseHTTPRequestHandler):
    def _token(self, body):
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer "):].strip()
        fields = parse_qs(body)
        fields.update(parse_qs(urlsplit(self.path).query))
        values = fields.get("token") or fields.get("access_token")
        return values[0] if values else None

    def _answer(self, body):
        token = self._token(body)
        if token == TOKEN:
            result = {"active": True, "username": USER, "scope": SCOPE, "token_type": "Bearer"}
        else:
            result = {"active": False}
        payload = json.dumps(result).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        print("introspection: %s active=%s" % (self.command, result["active"]), flush=True)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length).decode("utf-8", "replace"))

    def do_GET(self):
        self._answer("")

    def log_message(self, fmt, *args):
        pass  # one line per request above is enough, and it never shows the token


ThreadingHTTPServer.daemon_threads = True
print("introspection: listening on %s:%d" % (HOST, PORT), flush=True)
ThreadingHTTPServer((HOST, PORT), Introspection).serve_forever()
