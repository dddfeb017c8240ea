"""Serve :mod:`tests.interop.ourapp` with one real server on a socket that already listens.

Usage: ``python -m tests.interop.serve SERVER FD``, where FD is a listening TCP socket
inherited from the parent (so the port is known before the server starts, and a client
connecting early waits in the backlog instead of being refused: no readiness polling).
SERVER is one of :data:`SERVERS`. The parent stops the server by its pid (SIGTERM).
gunicorn is not here: it takes the socket itself (``--bind fd://FD``).
"""

from __future__ import annotations

import socket
import sys
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from .ourapp import build_asgi, build_wsgi

SERVERS = ("uvicorn-h11", "uvicorn-httptools", "waitress", "wsgiref")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _wsgiref(sock: socket.socket) -> None:
    httpd = WSGIServer(sock.getsockname(), _QuietHandler, bind_and_activate=False)
    httpd.socket.close()
    httpd.socket = sock
    host, port = sock.getsockname()[:2]
    httpd.server_name, httpd.server_port = host, port  # what server_bind would set
    httpd.setup_environ()
    httpd.set_app(build_wsgi())
    httpd.serve_forever()


def main(argv: list[str]) -> int:
    server, fd = argv[0], int(argv[1])
    sock = socket.socket(fileno=fd)
    if server.startswith("uvicorn-"):
        import uvicorn

        config = uvicorn.Config(
            build_asgi(),
            http=server.removeprefix("uvicorn-"),
            ws="none",
            lifespan="off",
            log_level="warning",
            access_log=False,
        )
        uvicorn.Server(config).run(sockets=[sock])
    elif server == "waitress":
        import waitress  # type: ignore[import-untyped]  # no stubs in the test extra

        waitress.serve(build_wsgi(), sockets=[sock], threads=4, _quiet=True)
    elif server == "wsgiref":
        _wsgiref(sock)
    else:
        print(f"unknown server {server!r}; one of {', '.join(SERVERS)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
