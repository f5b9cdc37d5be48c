"""The package's layers go one way, and no modules import each other: read from the source (ast), every import
counted, also one inside a function or under TYPE_CHECKING."""
from __future__ import annotations

import ast
from pathlib import Path

import reporter

PACKAGE = Path(reporter.__file__).parent
# Lowest first: a module may import its own layer and those below, never one above. The first holds what
# every layer may use (the domain model, files, the workspace's folders, progress reports).
LAYERS = [
    {"model", "files", "memory", "progress", "workspace", "config", "workers"},
    {"intake"},
    {"ledger"},
    {"rollup"},
    {"render"},
    {"deliver", "sample"},
    # board, outputs: what api.board and api.outputs assemble for the web page; reuse: which steps of api.run
    # keep their last outputs; init_workspace: api.init
    {"api", "board", "outputs", "reuse", "init_workspace"},
    {"cli", "click_zh", "web"},  # the shells over api (click_zh: click's own texts in Chinese, for cli)
]


def module_names() -> dict[str, Path]:
    """Dotted name → file of every module of the package."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports (a package's own submodules named in `from . import x`)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            for alias in node.names:
                found.add(f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    names = module_names()
    return {name: imports_of(name, path, set(names)) for name, path in names.items()}


def rank(module: str) -> int | None:
    """The layer of a module (None for the package itself)."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    for i, layer in enumerate(LAYERS):
        if parts[1] in layer:
            return i
    raise AssertionError(f"{module} is in no layer: add reporter.{parts[1]} to LAYERS in tests/test_layers.py")


def test_no_layer_imports_a_higher_one():
    upward = [f"{module} imports {target}" for module, targets in sorted(import_graph().items())
              for target in sorted(targets)
              if rank(module) is not None and rank(target) is not None and rank(target) > rank(module)]
    assert upward == []


def test_no_two_modules_import_each_other():
    graph = import_graph()
    mutual = [f"{a} <-> {b}" for a in sorted(graph) for b in sorted(graph[a]) if a < b and a in graph.get(b, ())]
    assert mutual == []


def test_the_checks_see_what_they_look_for():
    """The graph is read right: known imports of each kind are in it (or the tests above would pass on nothing)."""
    graph = import_graph()
    assert "reporter.model.round_ledger" in graph["reporter.intake.collect"]  # from ..model.round_ledger import
    assert "reporter.model.findings" in graph["reporter.intake.collect"]  # from ..model import findings as F
    assert "reporter.intake.merge" in graph["reporter.intake.merge_columns"]  # from .merge import
    assert "reporter.render.pdf_gongwen" in graph["reporter.render.formats"]  # imported inside a function
    assert rank("reporter.model.tasks") < rank("reporter.intake.collect") < rank("reporter.ledger.history") \
        < rank("reporter.rollup.status") < rank("reporter.render.notices") < rank("reporter.deliver.mail") \
        < rank("reporter.api") < rank("reporter.cli")
