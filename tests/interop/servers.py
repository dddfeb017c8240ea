"""Real HTTP servers for the interoperability tests, each on a free 127.0.0.1 port.

Each ``*_server`` context manager writes its configuration and user files to a fresh
directory, starts the server in the foreground as a child process, waits until its
port accepts a connection (a connect loop under a monotonic deadline, no sleep), and
on exit stops that process by its own pid. The directory is world-readable because
Apache and nginx workers running as root drop to ``nobody``.

User files are written here (``htdigest`` prompts on a terminal): ``user:realm:HA1``
lines, the HA1 computed with :mod:`hashlib` (not with wwwauth, so the servers check our
clients against an independent computation); Basic password files come from the real
``htpasswd -b``.

The servers:

* :func:`apache_server`: Apache httpd 2.4, Basic (mod_auth_basic), Digest MD5
  (mod_auth_digest, ``AuthDigestQop auth``: ``rspauth`` in Authentication-Info),
  one-time nonces without ``nextnonce`` (``AuthDigestNonceLifetime 0``, the header
  removed): the second request with a nonce gets ``stale=true``; forward proxies
  (mod_proxy, mod_proxy_http) asking for Basic and for Digest (407).
* :func:`lighttpd_server`: lighttpd 1.4 mod_auth with an htdigest file: MD5,
  SHA-256, SHA-512-256, userhash, SHA-256 and MD5 on two field lines.
* :func:`nginx_server`: nginx ``auth_basic`` with an htpasswd file.
* :func:`httpbin_server`: httpbin (the PyPI package) in-process on wsgiref.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

USER = "Mufasa"
PASSWORD = "Circle of Life"
UTF8_USER = "J\u00e4s\u00f8n Doe"  # RFC 7616 §3.9.2's user
UTF8_PASSWORD = "Secret, or not?"
PROXY_USER = "proxy-user"
PROXY_PASSWORD = "proxy-secret"
USERS = ((USER, PASSWORD), (UTF8_USER, UTF8_PASSWORD))
STARTUP_SECONDS = 15.0  # a server that does not listen by then fails the test

_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


@dataclass(frozen=True)
class Running:
    """A server that listens: its base URL (and a proxy URL, for Apache)."""

    url: str
    proxy_basic: str = ""
    proxy_digest: str = ""


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    """Return once 127.0.0.1:``port`` accepts a connection; raise if the server died or
    did not listen within :data:`STARTUP_SECONDS` (each attempt is a blocking connect)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0):
                return
        except OSError:
            pass
        exited = process is not None and process.poll() is not None
        if exited or time.monotonic() > deadline:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            state = "exited" if exited else "does not listen"
            raise RuntimeError(f"server on port {port} {state}: {detail}")


@contextmanager
def _directory() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="wwwauth-interop-"))
    path.chmod(0o755)  # workers that dropped to nobody read the files
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _process(argv: Sequence[str], ports: Sequence[int], log: Path) -> Iterator[None]:
    """Run ``argv`` (a server in the foreground) until the block ends; stop it by pid."""
    with open(log.with_suffix(".out"), "wb") as output:
        process = subprocess.Popen(argv, stdout=output, stderr=subprocess.STDOUT)
    try:
        for port in ports:
            wait_listening(port, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def ha1(algorithm: str, username: str, realm: str, password: str) -> str:
    """H(username ":" realm ":" password), the name and password as UTF-8 (RFC 7616 §3.4.2)."""
    data = f"{username}:{realm}:{password}".encode()
    return hashlib.new(_HASHES[algorithm], data).hexdigest()


def htdigest_lines(
    realm: str,
    users: Sequence[tuple[str, str]] = USERS,
    algorithms: Sequence[str] = ("MD5",),
    *,
    userhash: bool = False,
) -> list[str]:
    """``user:realm:HA1`` lines (lighttpd: a fourth field, the userhash, RFC 7616 §3.4.4)."""
    lines = []
    for username, password in users:
        for algorithm in algorithms:
            line = f"{username}:{realm}:{ha1(algorithm, username, realm, password)}"
            if userhash:
                digest = hashlib.new(_HASHES[algorithm], f"{username}:{realm}".encode())
                line += ":" + digest.hexdigest()
            lines.append(line)
    return lines


def _write_htpasswd(path: Path, htpasswd: str, users: Sequence[tuple[str, str]]) -> None:
    for index, (username, password) in enumerate(users):
        flags = "-bc" if index == 0 else "-b"
        subprocess.run(
            [htpasswd, flags, str(path), username, password],
            check=True,
            capture_output=True,
            timeout=30,
        )
    path.chmod(0o644)


def _documents(root: Path, *folders: str) -> None:
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "ok.txt").write_text("ok\n")


# --------------------------------------------------------------------------- Apache

APACHE_BASIC_REALM = "apache basic"
APACHE_DIGEST_REALM = "apache digest"
APACHE_PROXY_REALM = "apache proxy"
_APACHE_MODULES = (
    "mpm_event",
    "authn_core",
    "authn_file",
    "authz_core",
    "authz_user",
    "auth_basic",
    "auth_digest",
    "headers",
    "proxy",
    "proxy_http",
)


def _apache_config(root: Path, port: int, proxy_basic: int, proxy_digest: int) -> str:
    modules = "\n".join(
        f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so"
        for name in _APACHE_MODULES
    )
    runs_as = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    digest = f"""
  AuthType Digest
  AuthName "{APACHE_DIGEST_REALM}"
  AuthDigestProvider file
  AuthUserFile {root}/htdigest
  AuthDigestQop auth
  Require valid-user"""
    return f"""ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
Listen 127.0.0.1:{proxy_basic}
Listen 127.0.0.1:{proxy_digest}
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
LogLevel warn auth_digest:info
DefaultRuntimeDir {root}
Mutex file:{root} default
StartServers 1
{modules}
{runs_as}DocumentRoot {root}/htdocs
<Directory {root}/htdocs>
  Require all granted
</Directory>
<Location /basic>
  AuthType Basic
  AuthName "{APACHE_BASIC_REALM}"
  AuthBasicProvider file
  AuthUserFile {root}/htpasswd
  Require valid-user
</Location>
<Location /digest>{digest}
</Location>
# One-time nonces (lifetime 0: a nonce's second use is answered stale=true) with the
# nextnonce removed, so a client reuses its nonce and gets stale=true, at once.
<Location /stale>{digest}
  AuthDigestNonceLifetime 0
  Header unset Authentication-Info
</Location>
<VirtualHost 127.0.0.1:{proxy_basic}>
  ProxyRequests On
  <Proxy "*">
    AuthType Basic
    AuthName "{APACHE_PROXY_REALM}"
    AuthBasicProvider file
    AuthUserFile {root}/htpasswd
    Require user {PROXY_USER}
  </Proxy>
</VirtualHost>
<VirtualHost 127.0.0.1:{proxy_digest}>
  ProxyRequests On
  <Proxy "*">
    AuthType Digest
    AuthName "{APACHE_PROXY_REALM}"
    AuthDigestProvider file
    AuthUserFile {root}/htdigest
    AuthDigestQop auth
    Require user {PROXY_USER}
  </Proxy>
</VirtualHost>
"""


@contextmanager
def apache_server(apache2: str, htpasswd: str) -> Iterator[Running]:
    """Apache httpd 2.4 on three ports: the origin, a Basic proxy and a Digest proxy."""
    with _directory() as root:
        _documents(root / "htdocs", "basic", "digest", "stale", "public")
        proxy = ((PROXY_USER, PROXY_PASSWORD),)
        _write_htpasswd(root / "htpasswd", htpasswd, (*USERS, *proxy))
        lines = htdigest_lines(APACHE_DIGEST_REALM) + htdigest_lines(APACHE_PROXY_REALM, proxy)
        (root / "htdigest").write_text("\n".join(lines) + "\n", encoding="utf-8")
        port, proxy_basic, proxy_digest = free_port(), free_port(), free_port()
        config = root / "httpd.conf"
        config.write_text(_apache_config(root, port, proxy_basic, proxy_digest))
        argv = [apache2, "-f", str(config), "-DFOREGROUND"]
        with _process(argv, (port, proxy_basic, proxy_digest), root / "error.log"):
            yield Running(
                f"http://127.0.0.1:{port}",
                proxy_basic=f"http://127.0.0.1:{proxy_basic}",
                proxy_digest=f"http://127.0.0.1:{proxy_digest}",
            )


# --------------------------------------------------------------------------- lighttpd

# (folder, realm, lighttpd's "algorithm", the htdigest algorithms, userhash)
LIGHTTPD_LOCATIONS = (
    ("md5", "lighttpd md5", "MD5", ("MD5",), False),
    ("sha-256", "lighttpd sha-256", "SHA-256", ("SHA-256",), False),
    ("sha-512-256", "lighttpd sha-512-256", "SHA-512-256", ("SHA-512-256",), False),
    ("userhash", "lighttpd userhash", "SHA-256", ("SHA-256",), True),
    # two WWW-Authenticate field lines: SHA-256, then MD5
    ("two", "lighttpd two", "SHA-256|MD5", ("SHA-256", "MD5"), False),
)


@contextmanager
def lighttpd_server(lighttpd: str) -> Iterator[Running]:
    """lighttpd 1.4 mod_auth, htdigest backend, one folder per Digest variant."""
    with _directory() as root:
        _documents(root / "htdocs", *(folder for folder, *_ in LIGHTTPD_LOCATIONS))
        lines: list[str] = []
        rules: list[str] = []
        for folder, realm, offered, algorithms, userhash in LIGHTTPD_LOCATIONS:
            lines += htdigest_lines(realm, algorithms=algorithms, userhash=userhash)
            options = f'"method" => "digest", "realm" => "{realm}", "algorithm" => "{offered}"'
            if userhash:
                options += ', "userhash" => "enable"'
            rules.append(f'  "/{folder}/" => ({options}, "require" => "valid-user"),')
        (root / "htdigest").write_text("\n".join(lines) + "\n", encoding="utf-8")
        port = free_port()
        config = root / "lighttpd.conf"
        config.write_text(
            f"""server.document-root = "{root}/htdocs"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{root}/error.log"
server.modules = ("mod_auth", "mod_authn_file")
auth.backend = "htdigest"
auth.backend.htdigest.userfile = "{root}/htdigest"
auth.require = (
{chr(10).join(rules)}
)
""",
            encoding="utf-8",
        )
        with _process([lighttpd, "-D", "-f", str(config)], (port,), root / "error.log"):
            yield Running(f"http://127.0.0.1:{port}")


# --------------------------------------------------------------------------- nginx

NGINX_REALM = "nginx basic"


@contextmanager
def nginx_server(nginx: str, htpasswd: str) -> Iterator[Running]:
    """nginx, one process (no master), ``auth_basic`` on /basic/ with an htpasswd file."""
    with _directory() as root:
        _documents(root / "htdocs", "basic")
        _write_htpasswd(root / "htpasswd", htpasswd, USERS)
        port = free_port()
        temp = "\n".join(
            f"  {kind}_temp_path {root}/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        config = root / "nginx.conf"
        config.write_text(
            f"""daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
{temp}
  server {{
    listen 127.0.0.1:{port};
    root {root}/htdocs;
    location /basic/ {{
      auth_basic "{NGINX_REALM}";
      auth_basic_user_file {root}/htpasswd;
    }}
  }}
}}
"""
        )
        argv = [nginx, "-p", str(root), "-c", str(config), "-e", str(root / "error.log")]
        with _process(argv, (port,), root / "error.log"):
            yield Running(f"http://127.0.0.1:{port}")


# --------------------------------------------------------------------------- httpbin


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def httpbin_server() -> Iterator[Running]:
    """httpbin's Flask app served by wsgiref on a thread (its Digest keeps state in cookies)."""
    import httpbin  # type: ignore[import-untyped]

    server = make_server("127.0.0.1", 0, httpbin.app, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        wait_listening(server.server_port, None, None)
        yield Running(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=15)
