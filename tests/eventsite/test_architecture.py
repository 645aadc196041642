"""The import rules between the apps (pyproject.toml, [tool.importlinter]; docs/architecture.md)
hold, and a forbidden import breaks them."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Every app the contracts know, so that a copy of the code holds all of them.
ROOT_PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    """The project's packages (Python files only) in a folder of their own, to break."""
    for package in ROOT_PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    return tmp_path


def add_import(module_file: Path, statement: str) -> None:
    module_file.write_text(module_file.read_text() + f"\n{statement}\n")


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_programme_importing_registration_breaks_its_contract(copy_of_the_code):
    add_import(copy_of_the_code / "programme" / "views.py", "from registration import services")

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "The programme knows nothing of registrations BROKEN" in result.stdout
    assert "programme.views -> registration.services" in result.stdout


def test_outbox_importing_a_domain_model_breaks_its_contract(copy_of_the_code):
    add_import(copy_of_the_code / "outbox" / "models.py", "from programme.models import Speaker")

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "The outbox serves every app and knows none BROKEN" in result.stdout
    assert "outbox.models -> programme.models" in result.stdout


def test_models_importing_a_service_break_their_contract(copy_of_the_code):
    add_import(copy_of_the_code / "registration" / "models.py", "import registration.services")

    result = lint_imports(copy_of_the_code)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Models import no services BROKEN" in result.stdout
    assert "The programme knows nothing of registrations KEPT" in result.stdout
