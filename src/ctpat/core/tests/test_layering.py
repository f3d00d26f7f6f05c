"""Core is the bottom layer: accounts builds on it (base models, services, audit events), so
core must not import accounts. Core asks permission questions through ``core.permissions``,
which ``AccountsConfig.ready`` fills with the roles table.

Core's own tests are left out: they exercise core with real users and tokens, which only
accounts can make.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ctpat.core

CORE_DIR = Path(ctpat.core.__file__).parent
FORBIDDEN = "ctpat.accounts"


def _module_name(path: Path) -> str:
    parts = ("ctpat", "core", *path.relative_to(CORE_DIR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path, source: str) -> list[tuple[int, str]]:
    """Every module ``source`` (the text of ``path``) imports, relative imports resolved, with
    its line number; imports inside functions included."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            # ``from ctpat import accounts`` names the package in the imported names.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _imports_of_accounts(path: Path, source: str | None = None) -> list[str]:
    source = path.read_text() if source is None else source
    return [
        f"{path.relative_to(CORE_DIR)}:{line} imports {module}"
        for line, module in _imported_modules(path, source)
        if module == FORBIDDEN or module.startswith(FORBIDDEN + ".")
    ]


def _core_modules() -> list[Path]:
    return sorted(p for p in CORE_DIR.rglob("*.py") if "tests" not in p.relative_to(CORE_DIR).parts)


def test_core_does_not_import_accounts():
    offenders = [hit for path in _core_modules() for hit in _imports_of_accounts(path)]
    assert offenders == []


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from ctpat.accounts import roles\n", id="from-package"),
        pytest.param("import ctpat.accounts.models\n", id="import-module"),
        pytest.param("from ctpat import accounts\n", id="from-parent"),
        pytest.param("def f():\n    from ...accounts.roles import has_perm\n", id="relative-local"),
        pytest.param("from ... import accounts\n", id="relative-parent"),
    ],
)
def test_the_check_sees_each_way_of_importing_accounts(source):
    # Given a core module that imports accounts, spelled one way or another
    probe = CORE_DIR / "api" / "probe.py"
    # Then the check names the line
    assert _imports_of_accounts(probe, source)


def test_the_check_lets_core_import_core():
    probe = CORE_DIR / "api" / "probe.py"
    source = "from .. import permissions\nfrom ctpat.core.models import AuditEvent\n"
    assert _imports_of_accounts(probe, source) == []
