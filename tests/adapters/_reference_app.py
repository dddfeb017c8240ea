"""A standard-library reference server for the example-app contract (tests only).

``python tests/adapters/_reference_app.py --port PORT [--broken VARIANT]`` serves the
issue 13 routes on 127.0.0.1:PORT with :mod:`http.server`, :func:`wwwauth.decide` and
the verifiers, exactly as the table in ``tests/adapters/scenarios.py`` wants. It proves
the wire driver can pass; each ``--broken`` variant breaks one rule so the driver's
tests can prove it also fails:

* ``joined``: the two challenges on one field line;
* ``order``: Basic offered before Bearer;
* ``body``: a newline after the principal's name;
* ``echo``: the refusal body echoes the Authorization field;
* ``no-scope``: 403 insufficient_scope without ``scope="admin"``.
"""

from __future__ import annotations

import argparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wwwauth import Challenge, ParseError, basic, bearer, decide, parse_authorization
from wwwauth.integrations.verifiers import BasicVerifier, BearerVerifier, Principal

BROKEN_VARIANTS = ("joined", "order", "body", "echo", "no-scope")

_USERS = BasicVerifier({"aladdin": "open sesame"}, principal=lambda user: Principal(name=user))
_TOKENS = BearerVerifier(
    {
        "read-token": Principal(name="read-token", scopes=frozenset({"read"})),
        "admin-token": Principal(name="admin-token", scopes=frozenset({"read", "admin"})),
    }
)
_NEEDS = {"/private": frozenset[str](), "/admin": frozenset({"admin"})}


def _handler(broken: str | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/public":
                self._send(200, [], b"public")
                return
            needs = _NEEDS.get(self.path)
            if needs is None:
                self._send(404, [], b"not found")
                return
            value = self.headers.get("Authorization")
            principal: Principal | None = None
            if value is not None:
                try:
                    credentials = parse_authorization(value)
                except ParseError:
                    credentials = None
                if credentials is not None:
                    principal = _TOKENS(credentials) or _USERS(credentials)
            missing = _TOKENS.missing_scopes(principal, needs)
            # RFC 6750 §3.1: the 403 insufficient_scope challenge names the scope needed.
            scope = sorted(missing) if principal is not None and missing else None
            if broken == "no-scope":
                scope = None
            challenges: list[Challenge] = [
                bearer.challenge(realm="example", scope=scope),
                basic.challenge("example"),
            ]
            if broken == "order":
                challenges.reverse()
            allowed = principal is not None and not missing
            decision = decide(
                challenges=challenges,
                credentials=value,
                authenticated=principal is not None,
                authorized=allowed,
            )
            headers = list(decision.headers)
            if broken == "joined" and len(headers) > 1:
                headers = [("WWW-Authenticate", ", ".join(v for _, v in headers))]
            if decision.status == 200 and principal is not None:
                body = principal.name + ("\n" if broken == "body" else "")
                self._send(200, [], body.encode("utf-8"))
                return
            reason = decision.reason
            if broken == "echo":
                reason += f" ({value})"
            self._send(decision.status, headers, reason.encode("utf-8"))

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve on 127.0.0.1:--port until killed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--broken", choices=BROKEN_VARIANTS)
    arguments = parser.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), _handler(arguments.broken))
    server.serve_forever()


if __name__ == "__main__":
    main()
