"""The layout's rules (README, Layout): the case domain imports no screen app and builds no
URL; the screen apps do not import one another; each app is where its audience works."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREEN_APPS = {"web", "custody", "navigators", "supervisors", "reports", "demo", "config"}
AUDIENCE_APPS = {"custody", "navigators", "supervisors", "reports"}
# Names that build or follow a screen's URL.
URL_BUILDERS = {
    ("django.urls", "reverse"),
    ("django.urls", "reverse_lazy"),
    ("django.shortcuts", "redirect"),
    ("django.shortcuts", "resolve_url"),
}


def python_files(folder: str, root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[str, str | None, int]]:
    """(module, name or None, line) for each import in a file, relative ones made absolute."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, module] if module else base)
            found += [(module, alias.name, node.lineno) for alias in node.names]
    return found


def screen_imports(root: Path = ROOT) -> list[str]:
    return [
        f"{path.relative_to(root)}:{line} imports {module}"
        for path in python_files("checkpoint", root)
        for module, _name, line in imports_of(path, root)
        if module.split(".")[0] in SCREEN_APPS
    ]


def url_building(root: Path = ROOT) -> list[str]:
    found = [
        f"{path.relative_to(root)}:{line} uses {module}.{name}"
        for path in python_files("checkpoint", root)
        for module, name, line in imports_of(path, root)
        if (module, name) in URL_BUILDERS
    ]
    # Nor names a screen's URL in a string (a URL name is 'app:screen').
    for path in python_files("checkpoint", root):
        text = path.read_text()
        for app in AUDIENCE_APPS | {"web", "admin", "audit"}:
            if f'"{app}:' in text or f"'{app}:" in text:
                found.append(f"{path.relative_to(root)} names a URL of {app}:")
    return found


def test_the_domain_imports_no_screen_app():
    assert not (found := screen_imports()), "\n".join(found)


def test_the_domain_builds_no_url():
    assert not (found := url_building()), "\n".join(found)


@pytest.mark.parametrize("app", sorted(AUDIENCE_APPS))
def test_an_audience_app_imports_no_other_audience_app(app):
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in python_files(app)
        for module, _name, line in imports_of(path)
        if module.split(".")[0] in AUDIENCE_APPS - {app}
    ]
    assert not found, "\n".join(found)


def test_the_web_shell_imports_no_audience_app():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in python_files("web")
        for module, _name, line in imports_of(path)
        if module.split(".")[0] in AUDIENCE_APPS
    ]
    assert not found, "\n".join(found)


def test_the_rules_catch_what_they_forbid(tmp_path):
    """The scans read real imports and strings: a domain module that imports a screen app,
    reverses a URL or names one is found (in a copy of the layout, not this checkout)."""
    domain = tmp_path / "checkpoint" / "services"
    domain.mkdir(parents=True)
    (domain / "probe.py").write_text(
        "from navigators.views import actions\n"
        "from django.urls import reverse\n"
        "LINK = 'navigators:case'\n"
    )
    assert screen_imports(tmp_path) == ["checkpoint/services/probe.py:1 imports navigators.views"]
    assert any("django.urls.reverse" in f for f in url_building(tmp_path))
    assert any("names a URL of navigators" in f for f in url_building(tmp_path))
