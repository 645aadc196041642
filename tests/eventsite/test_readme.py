"""The README's configuration table lists every environment variable the project reads.

A variable read in eventsite/ (settings, gunicorn configuration) without a row in the
table fails this test, and so does a row for a variable nothing reads any more."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CONFIGURATION_MODULES = sorted((ROOT / "eventsite").glob("*.py"))
# A row of the table: | `NAME` | default | meaning |
TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)


def _string_argument(node: ast.Call) -> str | None:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def variables_read_in(path: Path) -> set[str]:
    """Names passed to os.environ.get/os.getenv/os.environ[...] or to a helper env_*()."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            reads_environment = (
                (called in {"get", "setdefault"} and owner.endswith("environ"))
                or called == "getenv"
                or called.startswith("env_")
            )
            if reads_environment and (name := _string_argument(node)):
                names.add(name)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value).endswith("environ")
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
    return names - {"DJANGO_SETTINGS_MODULE"}


def documented_variables() -> set[str]:
    return set(TABLE_ROW.findall(README.read_text()))


def test_the_scanner_finds_the_variables_of_settings():
    found = variables_read_in(ROOT / "eventsite" / "settings.py")

    assert {"SECRET_KEY", "DEBUG", "DATABASE_URL", "RETENTION_DAYS_AFTER_EVENT"} <= found


def test_every_variable_read_by_the_configuration_is_in_the_readme_table():
    read = set().union(*(variables_read_in(path) for path in CONFIGURATION_MODULES))

    missing = sorted(read - documented_variables())

    assert missing == [], f"add a row to the configuration table in README.md for: {missing}"


def test_every_row_of_the_readme_table_is_still_read_somewhere():
    sources = [ROOT / "Makefile", *CONFIGURATION_MODULES]
    for app in ("programme", "registration"):
        sources += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    text = "\n".join(path.read_text() for path in sources)

    stale = sorted(name for name in documented_variables() if not re.search(rf"\b{name}\b", text))

    assert stale == [], f"README.md documents variables nothing reads: {stale}"
