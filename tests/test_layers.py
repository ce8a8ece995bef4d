"""The apps build on each other in one direction, portal ← accounts ← community ← budgets ←
{maslikhat, proposals} ← votes, and no two modules import each other (at the top of the module or
inside a function): read from the source, so that a new import against the grain fails
here."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYER = {
    "portal": 0,
    "accounts": 1,
    "community": 2,
    "budgets": 3,
    "maslikhat": 4,
    "proposals": 4,
    "votes": 5,
}
# Modules that assemble every app on purpose.
ASSEMBLERS = {"portal.urls", "portal.settings", "portal.celery"}


def _modules() -> dict[str, Path]:
    modules = {}
    for app in LAYER:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The project modules a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES)
    return found


IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def test_no_app_imports_an_app_above_it_or_beside_it():
    against = sorted(
        (module, imported)
        for module, imported_set in IMPORTS.items()
        if module not in ASSEMBLERS
        for imported in imported_set
        if LAYER[imported.split(".")[0]] >= LAYER[module.split(".")[0]]
        and imported.split(".")[0] != module.split(".")[0]
    )
    assert against == []


def test_no_two_modules_import_each_other():
    mutual = sorted(
        (module, imported)
        for module, imported_set in IMPORTS.items()
        for imported in imported_set
        if module < imported
        and module in IMPORTS.get(imported, set())
        and imported != module
    )
    assert mutual == []


def _is_view_module(name: str) -> bool:
    parts = name.split(".")
    return parts[-1] == "views" or "views" in parts[1:-1]


def _orm_reads(path: Path) -> list[str]:
    """Where a module reaches the ORM itself: a manager (`Model.objects`) or
    get_object_or_404."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{path.name}:{node.lineno} .objects")
        elif isinstance(node, ast.Name) and node.id == "get_object_or_404":
            found.append(f"{path.name}:{node.lineno} get_object_or_404")
    return found


def test_views_read_through_selectors_never_the_orm():
    view_modules = [name for name in MODULES if _is_view_module(name)]
    assert len(view_modules) > 10
    reads = [read for name in view_modules for read in _orm_reads(MODULES[name])]
    assert reads == []
