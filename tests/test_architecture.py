"""The layout's rules (docs/architecture.md), checked on the source: imports follow the flow and make no
cycle, few loose modules, small modules, and no code outside ``engines/`` and ``cli/`` that chooses
behaviour by an engine's name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"
ENGINE_NAMES = {"offline", "llm", "replay"}
MAX_LINES = 400
MAX_TOP_LEVEL = 8
# the flow, first to last: a module may import its own package and those before it, never one after it
LAYERS = ("errors", "config", "storage", "text", "net", "models", "ingest", "engines", "analysis", "compare", "batch",
          "render", "watch", "service", "cli")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every verifier module ``name`` imports, at the top, in a function or for type checking."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package, up level - 1
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert graph["verifier.analysis.pipeline"] >= {"verifier.engines.base", "verifier.analysis.grounding"}
    assert _cycles(graph) == []


def _against_the_flow(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a package that comes later in ``LAYERS`` than the importer's."""
    def layer(module: str) -> int | None:
        parts = module.split(".")
        return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if layer(a) is not None and layer(b) is not None and layer(b) > layer(a))


def test_the_flow_finder_finds_an_import_against_it():
    graph = {"verifier.engines.llm.engine": {"verifier.analysis.cache", "verifier.text.folding"},
             "verifier.cli.common": {"verifier.engines"}}
    assert _against_the_flow(graph) == ["verifier.engines.llm.engine -> verifier.analysis.cache"]


def test_imports_follow_the_flow():
    assert set(LAYERS) == {name.split(".")[1] for name in MODULES if "." in name} - {"__main__"}
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    assert _against_the_flow(graph) == []


def test_few_loose_modules_at_the_top():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(loose) <= MAX_TOP_LEVEL, loose


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_the_limit(name):
    lines = MODULES[name].read_text("utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def _names_an_engine(node: ast.AST) -> bool:
    """A comparison with an engine's name: ``x == "llm"``, ``x in ("llm", "replay")``..."""
    if not isinstance(node, ast.Compare):
        return False
    for side in [node.left, *node.comparators]:
        values = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
        if any(isinstance(v, ast.Constant) and v.value in ENGINE_NAMES for v in values):
            return True
    return False


def test_the_engine_name_finder_finds_a_comparison():
    assert _names_an_engine(ast.parse('engine.name == "offline"', mode="eval").body)
    assert _names_an_engine(ast.parse('s.engine in ("llm", "replay")', mode="eval").body)
    assert not _names_an_engine(ast.parse('engine.capabilities.priced == True', mode="eval").body)


def test_only_engines_and_the_cli_compare_engine_names():
    found = []
    for name, path in MODULES.items():
        if name.startswith(("verifier.engines", "verifier.cli")):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if _names_an_engine(node):
                found.append(f"{name}:{node.lineno}")
    assert found == []
