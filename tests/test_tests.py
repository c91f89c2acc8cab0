"""The test suite's own structure, read from its source (ast), without running it.

No module of tests/ imports a test module (tests/test_*.py), and no test module
imports conftest.py: pytest loads both itself, and shared code lives in
helpers.py, theme_support.py and safety.py. No module of tests/ changes sys.path:
pyproject.toml's `pythonpath` puts plugins/, tools/, bench/ and tests/ on it.
"""

import ast

from helpers import ROOT

TESTS = ROOT / "tests"


def imports(source):
    """The top-level names of the modules a Python source imports (absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def forbidden_imports(name, source):
    """What a module of tests/ named name imports and may not."""
    return sorted(module for module in imports(source) if module.startswith("test_")
                  or (module == "conftest" and name.startswith("test_")))


def sys_path_uses(source):
    """The lines where a source reads or changes sys.path."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr == "path"
            and isinstance(node.value, ast.Name) and node.value.id == "sys"]


def modules():
    return sorted(TESTS.glob("*.py"))


def test_no_test_module_imports_another_or_conftest():
    assert len(modules()) >= 10  # the check saw the suite
    found = [f"{path.name} imports {module}" for path in modules()
             for module in forbidden_imports(path.name, path.read_text(encoding="utf-8"))]
    assert found == [], "move what is shared into tests/helpers.py"


def test_no_module_of_the_tests_changes_sys_path():
    found = [f"{path.name} line {line}" for path in modules()
             for line in sys_path_uses(path.read_text(encoding="utf-8"))]
    assert found == [], "give the folder to pyproject.toml's pythonpath instead"


def test_the_checks_find_what_they_look_for():
    """The two checks above on small sources that break the rules."""
    source = ("import sys\nimport test_seo\nfrom conftest import ROOT\n"
              "def f():\n    from test_build import snapshot\n    sys.path.insert(0, 'x')\n")
    assert forbidden_imports("test_x.py", source) == ["conftest", "test_build", "test_seo"]
    assert forbidden_imports("helpers.py", source) == ["test_build", "test_seo"]
    assert forbidden_imports("test_x.py", "import helpers\nimport testing\n") == []
    assert sys_path_uses(source) == [6]
