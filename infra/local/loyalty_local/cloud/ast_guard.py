"""One thread at a time builds a Python AST in this process, on the interpreters where two at once can fail.

CPython 3.11 before 3.11.8 and 3.12 before 3.12.2 keep the AST constructor's recursion depth in state shared by
all threads (gh-106905, fixed by gh-113035). A garbage collection during `ast.parse` may let another thread run,
and if that thread parses too, the first one fails with `SystemError: AST constructor recursion depth mismatch`.
The local stack runs moto in its own threads, and moto parses: werkzeug compiles its URL rules with `ast.parse`
and the Step Functions interpreter reads ASL string literals with `ast.literal_eval`. Meanwhile the host process
parses as well: the test runner (hypothesis reads predicates and test sources with `ast.parse`), and every
thread that formats a traceback (3.11's traceback module parses the failing line). So on such an interpreter
`ast.parse` (which `ast.literal_eval` and `traceback` call too) takes a process-wide lock; on a fixed one nothing
changes. The lock is reentrant: a finalizer run by the garbage collector inside a parse may parse in turn."""

from __future__ import annotations

import ast
import sys
import threading
from collections.abc import Callable
from typing import Any

_LOCK = threading.RLock()


def affected(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> bool:
    """Whether this interpreter has the shared AST recursion counter (gh-106905)."""
    return (3, 11, 0) <= version < (3, 11, 8) or (3, 12, 0) <= version < (3, 12, 2)


def serialize_ast_parsing() -> bool:
    """Wrap `ast.parse` in a process-wide lock on an affected interpreter (once); whether it is wrapped."""
    if not affected():
        return False
    if getattr(ast.parse, "_serialized", False):
        return True
    ast.parse = guarded(ast.parse)  # `ast.literal_eval` looks `parse` up in the module: guarded as well
    return True


def guarded(unguarded: Callable[..., Any]) -> Callable[..., Any]:
    """`unguarded`, called under the process-wide lock."""

    def parse(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return unguarded(*args, **kwargs)

    parse.__doc__ = unguarded.__doc__
    parse._serialized = True  # type: ignore[attr-defined]
    return parse
