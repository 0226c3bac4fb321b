"""No handler imports an adapter: the check `make lint` runs, on the real handlers and on a bad one."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty_local.tools.handler_imports import main, violations

REPO = Path(__file__).resolve().parents[2]


def test_no_handler_of_the_repository_imports_an_adapter() -> None:
    assert violations(REPO / "functions") == []


@pytest.mark.parametrize(
    "line",
    [
        "from loyalty.adapters.dynamodb.stream import stream_records",
        "import loyalty.adapters.apple.package",
        "from loyalty.adapters import http",
        "from loyalty import adapters",
    ],
)
def test_a_handler_importing_an_adapter_fails_the_check(
    tmp_path: Path, line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "app.py").write_text("from loyalty.bootstrap import pass_store\n")
    (tmp_path / "bad-handler").mkdir()
    (tmp_path / "bad-handler" / "app.py").write_text(f'"""A handler."""\n\n{line}\n')

    assert main([str(tmp_path)]) == 1
    (reported,) = capsys.readouterr().out.splitlines()
    assert reported.startswith(f"{tmp_path / 'bad-handler' / 'app.py'}:3: imports loyalty.adapters")


def test_a_module_merely_named_like_adapters_passes(tmp_path: Path) -> None:
    (tmp_path / "fine").mkdir()
    (tmp_path / "fine" / "app.py").write_text("from loyalty.adapters_of_nothing import x\n")

    assert main([str(tmp_path)]) == 0
