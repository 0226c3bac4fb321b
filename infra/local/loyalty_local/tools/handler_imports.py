"""`make lint`: no handler (`functions/*/app.py`) imports an adapter.

A handler is thin: it reaches the adapters only through `loyalty.bootstrap` (which picks them) and the
entrypoints (`loyalty.entrypoints.*`). import-linter cannot hold this (pyproject.toml, `[tool.importlinter]`):
the function folders are not packages (their names have hyphens and every module is `app`), so this reads each
handler's imports from its syntax tree instead."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

FORBIDDEN = "loyalty.adapters"


def _imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def violations(functions_dir: Path) -> list[str]:
    """`<path>:<line>: imports <module>` for each handler import of an adapter."""
    found = []
    for handler in sorted(functions_dir.glob("*/app.py")):
        tree = ast.parse(handler.read_text(), filename=str(handler))
        for line, module in _imported(tree):
            if module == FORBIDDEN or module.startswith(FORBIDDEN + "."):
                found.append(f"{handler}:{line}: imports {module}")
                break
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    found = violations(Path(args[0] if args else "functions"))
    for problem in found:
        print(f"{problem} (a handler reaches adapters only through loyalty.bootstrap or loyalty.entrypoints)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
