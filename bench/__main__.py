"""Runs every benchmark module (or those named on the command line) and prints its figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench
from bench.figures import Figure


def main(selected: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        print(f"{name}: {(module.__doc__ or '').strip().splitlines()[0]}", flush=True)
        figures: list[Figure] = module.run()
        for figure in figures:
            print(figure.line(), flush=True)
        print(f"  ({time.perf_counter() - started:.1f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
