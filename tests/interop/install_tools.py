"""Install the real servers and clients the interoperability tests run, if missing.

Idempotent: each tool is looked up on PATH (and in /usr/sbin) first, and only the
Debian packages of missing tools are installed, with ``apt-get`` (machines and CI run
as root). Services are kept from starting (a ``policy-rc.d`` that refuses every start
during the install), so nothing listens on port 80: each test starts its own server on
a free loopback port.

Usage: ``python3 tests/interop/install_tools.py`` (exit 0 when every tool is present
afterwards). On a machine without apt-get it says which tools are missing and exits 0:
the tests then skip them, except under ``CI=true``, where a missing tool fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# tool on PATH -> the Debian package that provides it
TOOLS: dict[str, str] = {
    "apache2": "apache2",
    "htdigest": "apache2-utils",
    "htpasswd": "apache2-utils",
    "lighttpd": "lighttpd",
    "nginx": "nginx-light",
    "curl": "curl",
    "wget": "wget",
    "chromium": "chromium",
}
_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")
_POLICY = Path("/usr/sbin/policy-rc.d")


def which(tool: str) -> str | None:
    """The path of ``tool``, looking in the sbin directories too (apache2, nginx live there)."""
    return shutil.which(tool) or shutil.which(tool, path=os.pathsep.join(_SBIN))


def missing() -> list[str]:
    return [tool for tool in TOOLS if which(tool) is None]


def main() -> int:
    tools = missing()
    if not tools:
        print("interop tools: all present")
        return 0
    packages = sorted({TOOLS[tool] for tool in tools})
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print(f"interop tools missing ({', '.join(tools)}); install {' '.join(packages)}")
        return 0
    print(f"interop tools: installing {' '.join(packages)}", flush=True)
    added_policy = not _POLICY.exists()
    if added_policy:
        _POLICY.write_text("#!/bin/sh\nexit 101\n")  # invoke-rc.d: starting services refused
        _POLICY.chmod(0o755)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run([apt, "-q", "update"], check=True, env=environment, stdout=sys.stderr)
        subprocess.run(
            [apt, "install", "-y", "-q", *packages],
            check=True,
            env=environment,
            stdout=sys.stderr,
        )
    finally:
        if added_policy:
            _POLICY.unlink()
    still = missing()
    if still:
        print(f"interop tools still missing: {', '.join(still)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
