"""One direction: the product (``backprop``) never imports the harness (``parity``).

``parity`` depends on ``backprop``, not back; the wheel a user installs holds
``backprop`` alone, so an import of ``parity`` from the product would break an
installed ``backprop`` (parity/tests/test_wheel.py runs one). The modules are
parsed, not searched as text: ``parity`` in a docstring or a comment is words,
an ``import`` (at the top, inside a function, or through ``importlib``) is not.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCT = REPO / "py" / "backprop"
HARNESS = "parity"


def _is_harness(module: str | None) -> bool:
    return module is not None and (module == HARNESS or module.startswith(HARNESS + "."))


def harness_imports(package: Path) -> list[str]:
    """Every import of ``parity`` in the package's modules, as ``file:line: module``."""
    found: list[tuple[str, int, int, str]] = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module] if node.level == 0 else []
            elif (  # importlib.import_module("parity...") or __import__("parity...")
                isinstance(node, ast.Call)
                and (
                    (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                    or (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                )
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                modules = [node.args[0].value]
            else:
                continue
            where = (str(path.relative_to(package)), node.lineno, node.col_offset)
            found += [(*where, m) for m in modules if _is_harness(m)]
    return [f"{name}:{line}: {module}" for name, line, _, module in sorted(found)]


def test_no_module_of_backprop_imports_parity() -> None:
    assert len(list(PRODUCT.rglob("*.py"))) > 20  # it saw the package
    assert harness_imports(PRODUCT) == []


def test_a_planted_import_of_parity_is_found_and_words_are_not(tmp_path: Path) -> None:
    package = tmp_path / "backprop"
    shutil.copytree(PRODUCT, package, ignore=shutil.ignore_patterns("__pycache__", "r", "data"))
    assert harness_imports(package) == []  # the copy is as clean as the package
    words = '"""Checked by the parity harness: import parity, from parity import cases."""\n'
    (package / "words.py").write_text(words + "# from parity.compare import ulp_distance\n")
    assert harness_imports(package) == []  # a docstring and a comment are not imports
    cli = package / "cli.py"
    cli.write_text(
        cli.read_text()
        + "\n\ndef _planted():\n    from parity.compare import ulp_distance\n"
        + "    import parity.site as site\n"
        + "    return importlib.import_module('parity.bench'), __import__('parity')\n"
    )
    found = harness_imports(package)
    assert [line.split(": ")[1] for line in found] == [
        "parity.compare",
        "parity.site",
        "parity.bench",
        "parity",
    ]
    assert all(line.startswith("cli.py:") for line in found)


@pytest.mark.parametrize("lookalike", ["import parity_check", "from parityx import y"])
def test_a_module_whose_name_only_starts_like_parity_is_not_the_harness(
    tmp_path: Path, lookalike: str
) -> None:
    (tmp_path / "m.py").write_text(lookalike + "\n")
    assert harness_imports(tmp_path) == []
