"""The house rules a newcomer can rely on (tooling/docs/architecture.md), checked on the source.

Each rule names what it guards against: a module too long to hold in one's head, a function
too tangled to change safely, machinery that changes the host process, or MkDocs' private API,
which any MkDocs release may change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_rank, cc_visit

from tests.helpers import PROJECT

PACKAGE = PROJECT / "tooling" / "statusledger"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT).as_posix()


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import in a file, at any depth."""
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
    return found


def test_no_module_is_over_500_lines() -> None:
    long = {
        _rel(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}


def test_at_most_two_functions_are_graded_d_or_worse() -> None:
    graded = [
        f"{_rel(p)}:{block.lineno} {block.name} {cc_rank(block.complexity)} ({block.complexity})"
        for p in MODULES
        for block in cc_visit(p.read_text(encoding="utf-8"))
        if cc_rank(block.complexity) in "DEF"
    ]
    assert len(graded) <= 2, graded


@pytest.mark.parametrize(
    ("where", "forbidden", "why"),
    [
        ("commands", "mkdocs", "the command line stays thin: MkDocs is the site's (site/)"),
        ("", "ruamel", "one YAML writer: authoring's comment-keeping editor"),
        ("", "click", "only cli.py and commands/ read the command line"),
    ],
)
def test_imports_stay_in_their_rooms(where: str, forbidden: str, why: str) -> None:
    allowed = {"cli.py", "commands"} if forbidden == "click" else set()
    offenders = [
        _rel(p)
        for p in MODULES
        if p.relative_to(PACKAGE).as_posix().startswith(where)
        and p.relative_to(PACKAGE).parts[0] not in allowed
        and any(m == forbidden or m.startswith(forbidden + ".") for m, _ in _imports(p))
    ]
    assert offenders == [], why


def test_no_private_mkdocs_function_is_used() -> None:
    private = [
        f"{_rel(p)}: {module}.{name}"
        for p in MODULES
        for module, names in _imports(p)
        if module.startswith("mkdocs")
        for name in names
        if name.startswith("_")
    ]
    assert private == []


def test_nothing_forks_the_host_process() -> None:
    """(Freezing the collector is the CLI's alone: tests/test_loading.py checks a library
    caller's collector is left as it was.)"""
    source = {_rel(p): p.read_text(encoding="utf-8") for p in MODULES}
    assert [rel for rel, text in source.items() if "os.fork" in text] == []


def test_no_pydantic_internals_are_set_by_hand() -> None:
    source = {_rel(p): p.read_text(encoding="utf-8") for p in MODULES}
    for marker in ("__pydantic_fields_set__", "__dict__[", "model_construct("):
        assert [rel for rel, text in source.items() if marker in text] == [], marker
