#!/usr/bin/env python3
"""Run the client scenarios of tests/authservers.py with our integrations and two peers.

Run from the repository root (needs requests and httpx, from the ``test`` extra):

    python benchmarks/compare_clients.py          # the Markdown table
    python benchmarks/compare_clients.py --why    # and why each failure failed

Every cell is measured: the scenario runs against fresh real servers on 127.0.0.1 with
that client, and "works" means every check of the scenario passed (see each scenario's
function in tests/authservers.py). The peers are ``requests.auth.HTTPDigestAuth`` and
``httpx.DigestAuth``; rows that need Basic, a proxy's 407 or rspauth test things those
Digest-only classes do not claim to do, and say so by failing.
"""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.authservers import OURS, PEERS, SCENARIOS, ClientFactory, run_scenario

COLUMNS: dict[str, ClientFactory] = {
    "ours (requests)": OURS["ours (requests)"],
    "ours (httpx)": OURS["ours (httpx)"],
    "requests.HTTPDigestAuth": PEERS["requests.HTTPDigestAuth"],
    "httpx.DigestAuth": PEERS["httpx.DigestAuth"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--why", action="store_true", help="list why each failure failed")
    args = parser.parse_args(argv)
    failures: list[str] = []
    print("| Scenario | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for scenario in SCENARIOS:
        cells = []
        for column, make in COLUMNS.items():
            why = run_scenario(scenario, make)
            cells.append("works" if why is None else "fails")
            if why is not None:
                failures.append(f"- {scenario.title} / {column}: {why}")
        print(f"| {scenario.title} | " + " | ".join(cells) + " |")
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("pywwwauth", "requests", "httpx")
    )
    print(f"\nMeasured with Python {sys.version.split()[0]}, {versions}.")
    if args.why and failures:
        print("\nWhy:\n" + "\n".join(failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
