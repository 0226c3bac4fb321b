"""A class name means one thing: no two modules of the layer, the functions or the local stack define a class of
the same name (docs/MODULE-MOVES.md, "one name per thing"), so a reader never asks which `Offer` a line means.
Module-level classes only: a class inside a function (the local servers' `Handler`s) is that function's own."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("layers", "functions", "infra")


def classes_defined_twice(root: Path) -> dict[str, list[str]]:
    where: dict[str, list[str]] = defaultdict(list)
    for top in ROOTS:
        for path in sorted((root / top).rglob("*.py")):
            for node in ast.parse(path.read_text(), str(path)).body:
                if isinstance(node, ast.ClassDef):
                    where[node.name].append(str(path.relative_to(root)))
    return {name: paths for name, paths in where.items() if len(paths) > 1}


def test_no_class_name_is_defined_twice() -> None:
    assert classes_defined_twice(REPO) == {}


def test_a_second_class_of_the_same_name_is_found(tmp_path: Path) -> None:
    (tmp_path / "layers" / "a").mkdir(parents=True)
    (tmp_path / "functions" / "f").mkdir(parents=True)
    (tmp_path / "infra").mkdir()
    (tmp_path / "layers" / "a" / "domain.py").write_text("class Offer:\n    pass\n")
    (tmp_path / "functions" / "f" / "app.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Offer(BaseModel):\n    pass\n"
    )
    assert classes_defined_twice(tmp_path) == {"Offer": ["layers/a/domain.py", "functions/f/app.py"]}
