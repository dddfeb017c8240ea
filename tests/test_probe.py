"""``wwwauth probe URL`` against live servers: the example apps (they must probe clean),
a right server written here, and deliberately wrong variants of it (each must be
reported with the right finding).

The servers are real: the example apps are started as in
tests/adapters/test_examples_wire.py (its ``serve`` fixture), the servers written here
run ``http.server`` in a thread on 127.0.0.1.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wwwauth.cli import main
from wwwauth.cli._probe import FAKE_PASSWORD, FAKE_TOKEN

from .adapters.test_examples_wire import Served, _example, serve  # noqa: F401  (a fixture)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("flask", "aiohttp", "litestar", "django", "djangorestframework")

# RFC 6750 §2.1: b64token
_B64TOKEN_RE = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["probe", *argv])
    return code, out.getvalue(), err.getvalue()


def codes(url: str, *options: str) -> tuple[int, dict[str, list[str]]]:
    """The exit status, and the finding codes of each request by its kind."""
    code, out, _ = run("--json", *options, url)
    report = json.loads(out)
    return code, {
        request["kind"]: [finding["code"] for finding in request["findings"]]
        for request in report["requests"]
    }


# ------------------------------------------------------------------ servers written here

FLAWS = (
    "forbidden-anonymous",  # 403 without a challenge for a request without credentials
    "joined",  # both challenges on one field line
    "unquoted-realm",  # realm=test
    "no-challenge",  # every 401 without WWW-Authenticate
    "malformed-bearer-401",  # 401 invalid_token for "Bearer a b" instead of 400
    "accepts-anything",  # 200 for any Basic credentials
)


def _handler(flaw: str | None) -> type[BaseHTTPRequestHandler]:
    realm = "realm=test" if flaw == "unquoted-realm" else 'realm="test"'

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

        def do_GET(self) -> None:
            authorization = self.headers.get("Authorization")
            if authorization is None:
                if flaw == "forbidden-anonymous":
                    self._send(403, [])
                else:
                    self._challenge(401, None)
                return
            scheme, _, rest = authorization.partition(" ")
            if scheme.lower() == "bearer":
                if not _B64TOKEN_RE.fullmatch(rest):
                    if flaw == "malformed-bearer-401":
                        self._challenge(401, "invalid_token")
                    else:
                        self._challenge(400, "invalid_request")
                else:
                    self._challenge(401, "invalid_token")
            elif scheme.lower() == "basic":
                try:
                    base64.b64decode(rest, validate=True)
                except (binascii.Error, ValueError):
                    self._send(400, [])
                    return
                if flaw == "accepts-anything":
                    self._send(200, [])
                else:
                    self._challenge(401, None)
            else:
                self._challenge(401, None)

        def _challenge(self, status: int, error: str | None) -> None:
            bearer = f"Bearer {realm}" + ("" if error is None else f', error="{error}"')
            basic = f'Basic {realm}, charset="UTF-8"'
            if flaw == "no-challenge" and status == 401:
                self._send(status, [])
            elif flaw == "joined":
                self._send(status, [f"{bearer}, {basic}"])
            else:
                self._send(status, [bearer, basic])

        def _send(self, status: int, challenges: list[str]) -> None:
            body = b"no"
            self.send_response(status)
            for challenge in challenges:
                self.send_header("WWW-Authenticate", challenge)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server() -> Iterator[Callable[[str | None], str]]:
    """Start an http.server with ``flaw`` (None: right) on 127.0.0.1; its URL."""
    running: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(flaw: str | None) -> str:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(flaw))
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        running.append((httpd, thread))
        return f"http://127.0.0.1:{httpd.server_address[1]}/private"

    try:
        yield start
    finally:
        for httpd, thread in running:
            httpd.shutdown()
            httpd.server_close()
            thread.join(timeout=10)


def test_a_right_server_probes_clean(server: Callable[[str | None], str]) -> None:
    code, out, err = run(server(None))
    assert (code, err) == (0, "")
    assert out.endswith("5 requests: 0 errors, 0 warnings\n")
    assert out.count("\n  ok\n") == 5


def test_the_requests_sent(server: Callable[[str | None], str]) -> None:
    code, out, _ = run("--json", server(None))
    assert code == 0
    report = json.loads(out)
    assert [(r["kind"], r["authorization"], r["status"]) for r in report["requests"]] == [
        ("none", None, 401),
        ("malformed-bearer", "Bearer a b", 400),
        ("wrong-bearer", f"Bearer {FAKE_TOKEN}", 401),
        ("malformed-basic", "Basic !!!", 400),
        ("wrong-basic", "Basic d3d3YXV0aC1wcm9iZTpub3QtYS1yZWFsLXBhc3N3b3Jk", 401),
    ]
    assert base64.b64decode(report["requests"][4]["authorization"][6:]).decode() == (
        f"wwwauth-probe:{FAKE_PASSWORD}"
    )
    assert report["requests"][0]["www_authenticate"] == [
        'Bearer realm="test"',
        'Basic realm="test", charset="UTF-8"',
    ]
    assert (report["ok"], report["errors"], report["warnings"]) == (True, 0, 0)
    assert report["version"]


def test_403_without_a_challenge(server: Callable[[str | None], str]) -> None:
    code, found = codes(server("forbidden-anonymous"))
    assert code == 1
    assert found == {"none": ["forbidden-without-credentials"]}


def test_two_challenges_on_one_line(server: Callable[[str | None], str]) -> None:
    url = server("joined")
    code, found = codes(url)
    assert code == 0  # a warning: RFC 9110 §11.6.1 allows it, browsers mis-read it
    assert found == {
        "none": ["several-challenges-per-line"],
        "malformed-bearer": ["several-challenges-per-line"],
        "wrong-bearer": ["several-challenges-per-line"],
        "malformed-basic": [],  # a 400 without a challenge
        "wrong-basic": ["several-challenges-per-line"],
    }
    code, _ = codes(url, "--fail-on-warning")
    assert code == 1
    _, out, _ = run(url)
    assert (
        "  warning: WWW-Authenticate holds 2 challenges on one field line: browsers mis-read "
        "them; send one challenge per field line\n"
    ) in out


def test_an_unquoted_realm(server: Callable[[str | None], str]) -> None:
    code, found = codes(server("unquoted-realm"))
    assert code == 1
    assert found["none"] == ["realm-not-quoted", "realm-not-quoted"]


def test_a_401_without_www_authenticate(server: Callable[[str | None], str]) -> None:
    code, found = codes(server("no-challenge"))
    assert code == 1
    # No challenge: no scheme offered, so nothing more is sent (the first finding says why).
    assert found == {"none": ["missing-challenge-field"]}
    _, out, _ = run(server("no-challenge"))
    assert "  note: no Basic or Bearer challenge offered, so no credentials were sent" in out
    code, found = codes(server("no-challenge"), "--bearer-only")
    assert found["wrong-bearer"] == ["missing-challenge-field", "scheme-withdrawn"]


def test_a_malformed_bearer_answered_401(server: Callable[[str | None], str]) -> None:
    code, found = codes(server("malformed-bearer-401"))
    assert code == 1
    assert found["malformed-bearer"] == ["malformed-bearer-not-400"]
    assert [kind for kind, kinds in found.items() if kinds] == ["malformed-bearer"]


def test_credentials_accepted(server: Callable[[str | None], str]) -> None:
    code, found = codes(server("accepts-anything"))
    assert code == 1
    assert found["wrong-basic"] == ["accepted"]


def test_only_one_scheme(server: Callable[[str | None], str]) -> None:
    _, found = codes(server(None), "--basic-only")
    assert list(found) == ["none", "malformed-basic", "wrong-basic"]
    _, found = codes(server(None), "--bearer-only")
    assert list(found) == ["none", "malformed-bearer", "wrong-bearer"]


# --------------------------------------------------------------------- usage and network


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ftp://example.com/"], "not an http:// or https:// URL"),
        (["http://user:pw@127.0.0.1/"], "the URL holds credentials"),
        (["--timeout", "0", "http://127.0.0.1/"], "--timeout must be positive"),
        (["--basic-only", "--bearer-only", "http://127.0.0.1/"], "not allowed with"),
        ([], "the following arguments are required: URL"),
    ],
)
def test_usage_errors(argv: list[str], message: str) -> None:
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert message in err
    assert "pw" not in err


def test_no_answer_is_exit_2(server: Callable[[str | None], str]) -> None:
    url = server(None)
    port = url.split(":")[2].split("/")[0]
    # A port that was just free: nobody listens on it once the socket is closed.
    closed = ThreadingHTTPServer(("127.0.0.1", 0), _handler(None))
    closed_port = closed.server_address[1]
    closed.server_close()
    assert str(closed_port) != port
    code, out, err = run(f"http://127.0.0.1:{closed_port}/x")
    assert (code, out) == (2, "")
    assert "does not answer" in err


def test_help_documents_the_probe() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for text in ("without credentials", "--bearer-only", "--timeout", "RFC 6750 §3.1"):
        assert text in out
    out_io = io.StringIO()
    with contextlib.redirect_stdout(out_io):
        assert main(["--help"]) == 0
    assert "wwwauth probe" in " ".join(out_io.getvalue().split())


def test_probe_through_python_dash_m(server: Callable[[str | None], str]) -> None:
    url = server("joined")
    result = subprocess.run(
        [sys.executable, "-m", "wwwauth", "probe", url],
        capture_output=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == b""
    assert b"5 requests: 0 errors, 4 warnings\n" in result.stdout


# ------------------------------------------------------------------------ the example apps


@pytest.mark.parametrize("framework", EXAMPLES)
def test_each_example_app_probes_clean(
    framework: str,
    serve: Callable[[list[str]], Served],  # noqa: F811  (the fixture imported above)
) -> None:
    served = serve([str(_example(framework))])
    code, out, err = run(served.origin + "/private")
    assert (code, err) == (0, ""), out
    assert out.endswith("5 requests: 0 errors, 0 warnings\n"), out
    code, out, _ = run(served.origin + "/admin")
    assert code == 0, out
