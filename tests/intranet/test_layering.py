"""The layering of the apps, read from their import statements.

people is the ground every app stands on and imports none of ours. search reads people; the
content apps reach search through its registry (their `<app>/search.py` imports search, which
discovers those modules by name), so search itself imports no content app. The content apps
(home, knowledge, workflow) import nothing of each other. The inbox (notifications) reads people
only; the project package's layout (context processor, menus) reaches apps only through registries.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTENT_APPS = {"home", "knowledge", "workflow"}
# The usage statistics read every app's records and sit on top: no app imports them.
STATS = {"stats"}
# The archive files the document flows' closed documents: it reads workflow, nothing reads it.
ARCHIVE = {"archive"}
FORBIDDEN = {
    "people": CONTENT_APPS | {"search"} | STATS | ARCHIVE,
    "search": CONTENT_APPS | STATS | ARCHIVE,
    # Shared infrastructure sits below every app.
    "core": CONTENT_APPS | {"search", "people", "demo"} | STATS | ARCHIVE,
    "operations": CONTENT_APPS | STATS | ARCHIVE,
    # The inbox sits beside the portal registry: content apps send through it, never the reverse.
    "notifications": CONTENT_APPS | {"search"} | STATS | ARCHIVE,
    **{app: (CONTENT_APPS - {app}) | STATS | ARCHIVE for app in CONTENT_APPS},
    "archive": {"home", "knowledge"} | STATS,
}


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules `path` imports, relative imports resolved."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
    return names


def app_modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def crossings(app: str) -> list[tuple[str, str]]:
    found = []
    for path in app_modules(app):
        relative = path.relative_to(ROOT).as_posix()
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] in FORBIDDEN[app]:
                found.append((relative, module))
    return found


def test_the_shared_layout_imports_no_content_app():
    found = [
        module
        for name in ("context_processors.py", "navigation.py", "portal.py")
        for module in imported_modules(ROOT / "intranet" / name)
        if module.split(".")[0] in CONTENT_APPS | {"search"}
    ]
    assert found == []


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_the_app_imports_no_app_above_or_beside_it(app):
    assert crossings(app) == []


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    package = tmp_path / "people" / "sub"
    package.mkdir(parents=True)
    (package / "mod.py").write_text(
        "from ..models import User\n"
        "def f():\n"
        "    from search.outbox import enqueue\n"
        "    import workflow.selectors\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert crossings("people") == [
        ("people/sub/mod.py", "search.outbox"),
        ("people/sub/mod.py", "workflow.selectors"),
    ]
    assert imported_modules(package / "mod.py") >= {"people.models"}


OUR_APPS = sorted({*FORBIDDEN, *CONTENT_APPS, *STATS, *ARCHIVE, "agenda", "intranet"})


@pytest.mark.parametrize("app", OUR_APPS)
def test_no_app_imports_another_apps_views_or_forms(app):
    """An app reaches another through its services, selectors, permissions or models: its
    screens (views, forms) are its own."""
    found = [
        (path.relative_to(ROOT).as_posix(), module)
        for path in app_modules(app)
        for module in sorted(imported_modules(path))
        if module.split(".")[0] != app
        and module.split(".")[0] in OUR_APPS
        and {"views", "forms"} & set(module.split(".")[1:])
    ]
    assert found == []
