"""The local stack's guard against CPython gh-106905 (two threads building ASTs at once, on 3.11 < 3.11.8 and
3.12 < 3.12.2, fail with `SystemError: AST constructor recursion depth mismatch`)."""

from __future__ import annotations

import ast
import sys
import threading
import time
from typing import Any

from loyalty_local.cloud.ast_guard import affected, guarded, serialize_ast_parsing


def test_the_interpreters_with_the_shared_counter() -> None:
    assert affected((3, 11, 7)) and affected((3, 11, 0)) and affected((3, 12, 1))
    assert not affected((3, 11, 8)) and not affected((3, 12, 2)) and not affected((3, 13, 0))
    assert not affected((3, 10, 13))


def test_guarded_parses_run_one_at_a_time() -> None:
    inside, most = 0, 0
    count = threading.Lock()

    def slow_parse(*_: Any) -> None:
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        time.sleep(0.02)
        with count:
            inside -= 1

    parse = guarded(slow_parse)
    threads = [threading.Thread(target=lambda: [parse("x") for _ in range(5)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_the_guard_is_installed_on_an_affected_interpreter_only_and_once() -> None:
    installed = serialize_ast_parsing()
    assert installed is affected(tuple(sys.version_info[:3]))
    first = ast.parse
    assert serialize_ast_parsing() is installed and ast.parse is first
    assert ast.literal_eval("[1, {'a': (2, 3)}]") == [1, {"a": (2, 3)}]
    assert isinstance(ast.parse("x = 1"), ast.Module)
