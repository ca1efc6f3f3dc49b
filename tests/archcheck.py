"""A static check of the house's imports: read every module's source, import none of them.

Rules (``check(root)`` returns one message per breach, empty when all hold):

* **direction** — ``cli`` → ``dashboard`` → ``layers`` → ``models`` → ``data``: a module may
  import its own package and any package further down, never one further up. ``app.py`` sits
  on top of all (``python app.py`` is ``allmende serve``, so it may import ``cli``); nothing
  imports ``app``;
  no source module imports ``tests`` or ``bench``;
* **no UI in the core** — no ``dash``, ``dash_*``, ``flask`` or ``flask_*`` in ``layers``,
  ``models`` and ``data``; no ``plotly`` in ``models`` and ``data``;
* **no cycles** — the graph of imports between modules has no strongly connected component
  of more than one module. An import under ``if TYPE_CHECKING:`` never runs, so it makes
  no cycle; it counts for the other two rules.

Every import counts: ``import a.b``, ``from a import b`` (``b`` taken as the submodule
``a.b`` when there is one), relative imports, imports inside functions or ``if`` blocks, and
``importlib.import_module(...)`` / ``__import__(...)`` with a name that can be read from the
source (a literal, or an f-string or ``+`` of literals and module-level string constants;
of a name read only in part, its known dotted prefix counts). Importing ``a.b.c`` does not
count as importing the packages ``a`` and ``a.b``, so a package's ``__init__`` that imports
its own submodules makes no cycle.

Messages name the importing module, its file and line, and the imported module.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ORDER = ("cli", "dashboard", "layers", "models", "data")  # top to bottom
RANK = {"app": -1, **{name: i for i, name in enumerate(ORDER)}}  # app.py above the cli
NEVER = ("tests", "bench")  # above everything: no source module imports them
UI = ("dash", "flask")
NO_UI = ("layers", "models", "data")
NO_PLOTLY = ("models", "data")


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    file: str  # the path below the root, for messages

    @property
    def package(self) -> str:
        """The package a relative import starts from."""
        if self.path.name == "__init__.py":
            return self.name
        return self.name.rpartition(".")[0]


@dataclass(frozen=True)
class Import:
    importer: Module
    target: str  # absolute dotted name, as far as the source tells
    line: int
    in_function: bool
    type_only: bool = False  # under ``if TYPE_CHECKING:``

    def where(self) -> str:
        inside = ", inside a function" if self.in_function else ""
        return f"{self.importer.file}:{self.line}{inside}"


def find_modules(root: Path) -> dict[str, Module]:
    """Every module of the house below ``root``: the packages of ``ORDER`` and ``app.py``."""
    found: dict[str, Module] = {}
    if (root / "app.py").is_file():
        found["app"] = Module("app", root / "app.py", "app.py")
    for top in ORDER:
        folder = root / top
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            if "__pycache__" in rel.parts or any("." in part for part in rel.parts):
                continue
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            name = ".".join(parts)
            found[name] = Module(name, path, rel.with_suffix(".py").as_posix())
    return found


# --- reading imports ---------------------------------------------------------------------


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (for dynamic import names)."""
    out: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            out[node.targets[0].id] = node.value.value
    return out


def _text(node: ast.expr, constants: Mapping[str, str]) -> tuple[str, bool]:
    """The string an expression builds, as far as the source tells, and whether in full."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, True
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id], True
    if isinstance(node, ast.FormattedValue) and node.format_spec is None:
        return _text(node.value, constants)
    parts: list[ast.expr] = []
    if isinstance(node, ast.JoinedStr):
        parts = list(node.values)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [node.left, node.right]
    out = ""
    for part in parts:
        text, complete = _text(part, constants)
        out += text
        if not complete:
            return out, False
    return out, bool(parts)


def _dynamic_name(call: ast.Call, constants: Mapping[str, str]) -> str | None:
    """The module name of ``importlib.import_module(…)`` or ``__import__(…)``, if readable."""
    func = call.func
    named = isinstance(func, ast.Name) and func.id in ("import_module", "__import__")
    attr = isinstance(func, ast.Attribute) and func.attr == "import_module"
    if not (named or attr) or not call.args:
        return None
    text, complete = _text(call.args[0], constants)
    if not complete:
        text = text.rpartition(".")[0]  # the known dotted prefix only
    package = next((k.value for k in call.keywords if k.arg == "package"), None)
    if text.startswith(".") and package is not None:
        base, _ = _text(package, constants)
        level = len(text) - len(text.lstrip("."))
        text = _resolve(base, level - 1, text.lstrip("."))
    return text.strip(".") or None


def _resolve(package: str, up: int, name: str | None) -> str:
    parts = package.split(".") if package else []
    base = parts[: len(parts) - up] if up else parts
    return ".".join([*base, *([name] if name else [])])


class _Reader(ast.NodeVisitor):
    def __init__(self, module: Module, known: Mapping[str, Module], constants: dict[str, str]):
        self.module, self.known, self.constants = module, known, constants
        self.depth = 0
        self.type_only = 0
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.stmt | ast.expr) -> None:
        imp = Import(self.module, target, node.lineno, self.depth > 0, self.type_only > 0)
        self.found.append(imp)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        if name != "TYPE_CHECKING":
            self.generic_visit(node)
            return
        self.type_only += 1
        for child in node.body:
            self.visit(child)
        self.type_only -= 1
        for child in node.orelse:
            self.visit(child)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = _resolve(self.module.package, node.level - 1, node.module)
        else:
            base = node.module or ""
        for alias in node.names:
            sub = f"{base}.{alias.name}" if base else alias.name
            self._add(sub if sub in self.known else base, node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dynamic_name(node, self.constants)
        if name:
            self._add(name, node)
        self.generic_visit(node)


def read_imports(module: Module, known: Mapping[str, Module]) -> list[Import]:
    """Every import in ``module``'s source (see the module docstring for what counts)."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    reader = _Reader(module, known, _constants(tree))
    reader.visit(tree)
    return reader.found


def owner(target: str, known: Mapping[str, Module]) -> str | None:
    """The house module an import lands in (the longest known prefix), or ``None``."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        if name in known:
            return name
    return None


# --- the rules -----------------------------------------------------------------------------


def _top(name: str) -> str:
    return name.partition(".")[0]


def rule_messages(imp: Import) -> Iterator[str]:
    """Direction and no-UI breaches of one import."""
    here, there = _top(imp.importer.name), _top(imp.target)
    said = f"{imp.where()}: {imp.importer.name} imports {imp.target}"
    if there in NEVER:
        yield f"{said} — source modules never import {there}"
    elif there in RANK and there != here and RANK[there] <= RANK[here]:
        yield f"{said} — {here} may import only {_below(here)}"
    if here in NO_UI and (there in UI or there.startswith(tuple(f"{u}_" for u in UI))):
        yield f"{said} — no Dash/Flask in {', '.join(NO_UI)}"
    if here in NO_PLOTLY and there == "plotly":
        yield f"{said} — no plotly in {', '.join(NO_PLOTLY)}"


def _below(top: str) -> str:
    lower = [name for name in ORDER if RANK[name] > RANK[top]]
    return f"{top} itself" + (f" and {', '.join(lower)}" if lower else "")


def strongly_connected(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of ``graph`` (each sorted, any order)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def _one_cycle(start: str, members: set[str], edges: Mapping[str, Mapping[str, Import]]) -> str:
    """A shortest way from ``start`` back to itself inside ``members``, each step with its line."""
    previous: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(edges.get(node, {})):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                path.reverse()
                steps = [*path, start]
                return " → ".join(
                    f"{a} imports {b} ({edges[a][b].where()})" for a, b in itertools.pairwise(steps)
                )
            if nxt in members and nxt not in previous and nxt != start:
                previous[nxt] = node
                queue.append(nxt)
    return ""  # not reached for a component of two or more


def import_graph(
    imports: Iterable[Import], known: Mapping[str, Module]
) -> dict[str, dict[str, Import]]:
    """``graph[a][b]``: the first import by which module ``a`` imports module ``b``."""
    edges: dict[str, dict[str, Import]] = {name: {} for name in known}
    for imp in imports:
        target = owner(imp.target, known)
        if target is not None and target != imp.importer.name and not imp.type_only:
            edges[imp.importer.name].setdefault(target, imp)
    return edges


def find_cycles(root: Path) -> list[frozenset[str]]:
    """The import cycles below ``root``, each as its set of modules."""
    known = find_modules(root)
    imports = [imp for module in known.values() for imp in read_imports(module, known)]
    components = strongly_connected(import_graph(imports, known))
    return [frozenset(c) for c in components if len(c) > 1]


def cycle_messages(imports: Iterable[Import], known: Mapping[str, Module]) -> list[str]:
    """One message per import cycle between modules."""
    edges = import_graph(imports, known)
    out = []
    for component in strongly_connected(edges):
        if len(component) > 1:
            way = _one_cycle(component[0], set(component), edges)
            out.append(f"import cycle between {', '.join(component)}: {way}")
    return out


def check(root: Path) -> list[str]:
    """Every breach of the rules in the source below ``root`` (empty: all hold)."""
    known = find_modules(root)
    imports = [imp for module in known.values() for imp in read_imports(module, known)]
    messages = [msg for imp in imports for msg in rule_messages(imp)]
    return messages + cycle_messages(imports, known)
