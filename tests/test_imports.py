"""No import cycle anywhere in wizard/, counting the imports inside functions (issue 21).

Every `import` and `from … import` of a wizard module is read with ast, in any function or
class body too, and under `if TYPE_CHECKING:` as well: a type-only import still ties two modules
into one knot (kinds and factneeds describe what they read of a question with a Protocol instead).
"""

from __future__ import annotations

import ast
from pathlib import Path

import wizard

PACKAGE = Path(wizard.__file__).resolve().parent


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("wizard", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as one path that returns to its start (depth-first search)."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


def test_the_reader_sees_imports_inside_functions_and_under_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "voorbeeld.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from wizard import rules\n"
        "def f():\n    from wizard import facts\n    import wizard.walk\n"
        "class C:\n    def g(self):\n        from wizard.web import app\n",
        encoding="utf-8",
    )
    known = modules()
    assert imports_of("wizard.voorbeeld", source, known) == {
        "wizard.rules",
        "wizard.facts",
        "wizard.walk",
        "wizard.web.app",
    }
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]


def test_no_import_cycle_in_the_package() -> None:
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert len(graph) > 40 and "wizard.answering" in graph
    assert graph["wizard.questionnaire"] >= {"wizard.factneeds", "wizard.kinds"}  # inside a function too
    assert cycles(graph) == []
