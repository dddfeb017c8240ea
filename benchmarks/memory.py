#!/usr/bin/env python3
"""Memory kept per parsed value: wwwauth against the peers of bench.py, workload by workload.

Run from the repository root:

    python benchmarks/memory.py            # 2,000 parsed values per cell
    python benchmarks/memory.py --count 20000

For every (workload, library) pair the value is parsed once and judged exactly as in
bench.py (only a result that is right counts). Then ``count`` results are parsed and
kept alive, and ``tracemalloc`` reports how many bytes that took, less the list holding
them: bytes per parsed value. The input string is shared by every call, so only what a
parser builds is counted. The floor builds nothing and is left out.

wwwauth builds its lower-cased name index on the first lookup by name, so it is measured
twice: as parsed, and after one ``params["realm"]``-style lookup (``+ lookup``), which
is what a caller pays once it reads a parameter.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # the peers and workloads of bench.py, from this folder


def bytes_per_result(run: Callable[[], object], count: int) -> float:
    """Bytes kept alive per result of ``run``, over ``count`` results."""
    for _ in range(3):
        run()  # warm caches (regexes, interned strings, memo tables)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [run() for _ in range(count)]
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before - sys.getsizeof(kept)) / count


def _first_lookup(kind: bench.Kind) -> Callable[[object], None]:
    """One read of a parameter by name, the way a caller does it, on wwwauth's result."""

    def read(result: object) -> None:
        items = result if isinstance(result, list) else [result]
        for item in items:
            params = getattr(item, "params", item)
            params.get("realm")  # type: ignore[attr-defined]

    return read


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="results kept per cell")
    args = parser.parse_args(argv)

    libs, notes = bench.load_libraries()
    libs = [lib for lib in libs if lib.role != "floor"]
    for note in notes:
        print(f"NOTE: {note}")
    names = [lib.name for lib in libs]
    ours = next((lib for lib in libs if lib.role == "ours"), None)
    header = ["workload", *names]
    if ours is not None:
        header[2:2] = [f"{ours.name} + lookup"]
    rows: list[list[str]] = []
    verdicts: list[str] = []
    for workload in bench.WORKLOADS:
        row = [workload.key]
        measured: dict[str, float] = {}
        for lib in libs:
            prepared = lib.prepare(workload.kind, workload.value)
            if prepared is None:
                row.append("n/a")
                continue
            try:
                result = prepared.run()
            except Exception:  # noqa: BLE001 - any exception means "cannot handle it"
                row.append("error")
                continue
            status, _ = bench.judge(prepared.normalise(result) or [], workload.expected)
            if status != bench.OK:
                row.append(status)
                continue
            measured[lib.name] = bytes_per_result(prepared.run, args.count)
            row.append(f"{measured[lib.name]:,.0f}")
            if lib is ours:
                run, read = prepared.run, _first_lookup(workload.kind)

                def parsed_and_read(
                    run: Callable[[], object] = run, read: Callable[[object], None] = read
                ) -> object:
                    result = run()
                    read(result)
                    return result

                looked_up = bytes_per_result(parsed_and_read, args.count)
                row.append(f"{looked_up:,.0f}")
        rows.append(row)
        if ours is not None and ours.name in measured:
            peers = {n: b for n, b in measured.items() if n != ours.name}
            if peers:
                least = min(peers, key=peers.__getitem__)
                ratio = measured[ours.name] / peers[least]
                verdicts.append(
                    f"{workload.key}: wwwauth {measured[ours.name]:,.0f} B vs the leanest "
                    f"correct peer ({least}) {peers[least]:,.0f} B: {ratio:.2f}×"
                )
    print(
        f"bytes kept per parsed value ({args.count:,} values per cell; Python {sys.version.split()[0]})\n"
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for line in verdicts:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
