"""The layers: ofsted_reader.core <- .host, .importers <- .store <- .tui <- .cli. No module imports a higher layer, the
non-UI layers never import Textual, and installing the project adds one top-level import package."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

# Layer of each subpackage, bottom first, and the folder it lives in.
LAYERS = {
    "ofsted_reader.core": 0,
    "ofsted_reader.reports": 0,
    "ofsted_reader.host": 1,
    "ofsted_reader.importers": 1,
    "ofsted_reader.store": 2,
    "ofsted_reader.tui": 3,
    "ofsted_reader.cli": 4,
    "ofsted_reader.__main__": 4,
    "ofsted_reader": 4,
}
FOLDERS = {
    "ofsted_reader.core": ROOT / "ofsted_reader" / "core",
    "ofsted_reader.reports": ROOT / "reports",
    "ofsted_reader.host": ROOT / "ofsted_reader" / "host",
    "ofsted_reader.importers": ROOT / "importers",
    "ofsted_reader.store": ROOT / "store",
    "ofsted_reader.tui": ROOT / "tui",
    "ofsted_reader.cli": ROOT / "ofsted_reader" / "cli",
}


def _layer(module: str) -> int | None:
    """The layer of an ofsted_reader module (None for anything outside the project)."""
    best = max((name for name in LAYERS if module == name or module.startswith(name + ".")), key=len, default=None)
    return LAYERS[best] if best else None


def _modules() -> list[tuple[str, Path]]:
    """Every module of the project, in every layer's folder and the folders below it (subpackages included)."""
    found = [
        ("ofsted_reader", ROOT / "ofsted_reader" / "__init__.py"),
        ("ofsted_reader.__main__", ROOT / "ofsted_reader" / "__main__.py"),
    ]
    for package, folder in FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found.append((".".join([package, *parts]), path))
    return found


def _imports(module: str, path: Path) -> list[tuple[str, int]]:
    """Every module this one imports, at the top or inside a function, with relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                names.append((".".join(base + ([node.module] if node.module else [])), node.lineno))
            else:
                names.append((node.module or "", node.lineno))
    return names


def test_no_layer_imports_a_higher_one():
    modules = _modules()
    assert all(any(m == package or m.startswith(package + ".") for m, _ in modules) for package in FOLDERS)
    upward = []
    for module, path in modules:
        own = _layer(module)
        for name, line in _imports(module, path):
            other = _layer(name)
            if other is not None and own is not None and other > own:
                upward.append(f"{path.relative_to(ROOT)}:{line} {module} imports {name}")
    assert upward == []


def test_every_python_file_of_the_package_is_checked():
    """A new module or subpackage cannot slip past the layering check: every .py file that setuptools installs is
    one of the modules above."""
    checked = {path for _, path in _modules()}
    shipped = {p for folder in [ROOT / "ofsted_reader", *FOLDERS.values()] for p in folder.rglob("*.py")}
    assert sorted(str(p.relative_to(ROOT)) for p in shipped - checked) == []
    assert ("ofsted_reader.cli.search", ROOT / "ofsted_reader" / "cli" / "search.py") in _modules()


def test_every_import_of_the_project_goes_through_its_one_package():
    old = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for module, path in _modules()
        for name, line in _imports(module, path)
        if name.split(".")[0] in {"importers", "store", "tui", "reports"}
    ]
    assert old == []


def test_the_layering_check_itself_catches_an_upward_import(tmp_path):
    bad = tmp_path / "model.py"
    bad.write_text("def f():\n    from ofsted_reader.store.library.library import Library\n")
    assert [_layer(name) for name, _ in _imports("ofsted_reader.core.model", bad)] == [2]


@pytest.mark.subprocess
def test_the_non_ui_layers_and_the_cli_do_not_import_textual():
    code = (
        "import sys, ofsted_reader.importers, ofsted_reader.importers.slac, ofsted_reader.importers.pdf, "
        "ofsted_reader.importers.letter, ofsted_reader.store.library.library, ofsted_reader.store.notes.annotations, "
        "ofsted_reader.store.library.search_index, ofsted_reader.core.model, ofsted_reader.core.search.engine, ofsted_reader.cli, "
        "ofsted_reader.cli.main, ofsted_reader.cli.library, ofsted_reader.cli.grades, ofsted_reader.cli.research; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.subprocess
def test_the_installed_project_is_one_top_level_package(tmp_path):
    """Outside the repository only `ofsted_reader` can be imported: the folders' own names (importers, store, tui,
    reports: names of unrelated PyPI projects) are not installed as packages."""
    distribution = importlib.metadata.distribution("ofsted-reader")
    assert (distribution.read_text("top_level.txt") or "").split() == ["ofsted_reader"]
    code = (
        "import importlib.util as u; print([n for n in ('ofsted_reader', 'ofsted_reader.importers', "
        "'ofsted_reader.store', 'ofsted_reader.tui', 'ofsted_reader.reports', 'importers', 'store', 'tui', "
        "'reports') if u.find_spec(n)])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == [
        "['ofsted_reader',",
        "'ofsted_reader.importers',",
        "'ofsted_reader.store',",
        "'ofsted_reader.tui',",
        "'ofsted_reader.reports']",
    ]


def _runtime_imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules this one imports when it runs (at the top or inside a function; not the imports kept for
    type checking), `from package import module` counting as the module, not the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            submodules = {f"{target}.{alias.name}" for alias in node.names} & known
            found |= submodules if len(submodules) == len(node.names) else {target, *submodules}
    return {name for name in found if name in known and name != module}


def test_no_module_imports_itself_through_others():
    """No import cycle, not even one hidden by an import inside a function: a cycle makes the order modules load in
    matter, and the modules in it one piece that cannot be understood or tested apart."""
    modules = dict(_modules())
    graph = {module: _runtime_imports(module, path, set(modules)) for module, path in modules.items()}
    cycles, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for imported in sorted(graph[module]):
            if state.get(imported) == "open":
                cycles.append(" -> ".join(trail[trail.index(imported) :] + [imported]))
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def _private_imports(module: str, path: Path, project: set[str]) -> list[str]:
    """Each `_name` this module takes from another module of the project, by `from m import _name` or `m._name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
    taken, modules_by_name = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                source = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source not in project and not source.startswith("ofsted_reader"):
                continue
            for alias in node.names:
                if f"{source}.{alias.name}" in project:
                    modules_by_name.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    taken.append(f"line {node.lineno}: {alias.name} from {source}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules_by_name
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            taken.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return taken


def test_no_module_takes_a_private_name_of_another():
    """A leading underscore says "only this module relies on me": a name another module needs is part of the
    interface, and is named so (imports inside functions count)."""
    modules = dict(_modules())
    found = [
        f"{module} {taken}"
        for module, path in modules.items()
        for taken in _private_imports(module, path, set(modules))
    ]
    assert found == []


def test_the_private_name_check_itself_catches_one(tmp_path):
    path = tmp_path / "b.py"
    path.write_text("from ofsted_reader.core import dates\nfrom .a import _x, y\n\nz = dates._style\n")
    project = {"ofsted_reader.store.a", "ofsted_reader.store.b", "ofsted_reader.core.dates"}
    assert _private_imports("ofsted_reader.store.b", path, project) == [
        "line 2: _x from ofsted_reader.store.a",
        "line 4: dates._style",
    ]
