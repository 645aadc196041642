"""The commands that README.md and docs/ show work as written on a fresh copy after `make run`.

Every command is checked to exist (make target, management command, script, test path);
the ones that are safe to repeat are run as written, in a copy of the repository in the
state `make run` leaves: a generated var/secret_key, a migrated database with the event,
and no SECRET_KEY, DEBUG or DATABASE_URL in the environment."""

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
COMMAND_START = re.compile(r"^(?:[A-Z_]+=\S+\s+)*(?:make|\.venv/bin/\w+|python3?)\b")
# Management commands that change nothing a second run would undo, need no input and end.
SAFE = {
    ("check",): lambda args: "--deploy" not in args,
    ("load_event",): lambda args: True,
    ("send_test_email",): lambda args: True,
    ("worker",): lambda args: "--once" in args,
}


def documented_commands() -> list[tuple[str, str]]:
    """(document, command) for each shell command shown in a code block or as inline code."""
    found = []
    for document in DOCUMENTS:
        text = document.read_text()
        text = re.sub(r"\\\n\s*", " ", text)  # continued lines
        candidates = re.findall(r"`([^`\n]+)`", text)
        candidates += [line.strip() for line in text.splitlines() if line.startswith("    ")]
        in_fence = False
        for line in text.splitlines():
            if line.startswith("```"):
                in_fence = not in_fence
            elif in_fence:
                candidates.append(line.strip())
        for candidate in candidates:
            command = candidate.split("  #")[0].strip()
            if COMMAND_START.match(command) and "<" not in command and "…" not in command:
                found.append((document.relative_to(ROOT).as_posix(), command))
    return sorted(set(found))


COMMANDS = documented_commands()


def words(command: str) -> list[str]:
    """The command without leading VAR=value assignments."""
    parts = shlex.split(command)
    while parts and re.fullmatch(r"[A-Z_]+=\S*", parts[0]):
        parts.pop(0)
    return parts


def make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    return {
        target
        for line in re.findall(r"^([\w./ -]+):(?!=)", makefile, re.M)
        for target in line.split()
    }


def management_command(parts: list[str]) -> tuple[str, list[str]] | None:
    if len(parts) >= 3 and parts[1] == "manage.py":
        return parts[2], parts[3:]
    return None


def test_the_docs_show_commands():
    shown = {command for _document, command in COMMANDS}
    assert "make run" in shown
    assert ".venv/bin/python manage.py send_test_email you@example.org" in shown


@pytest.mark.parametrize(("document", "command"), COMMANDS, ids=[c for _d, c in COMMANDS])
def test_documented_command_exists(document, command):
    parts = words(command)
    program = parts[0]
    if program == "make":
        targets = [p for p in parts[1:] if "=" not in p and not p.startswith("-")]
        assert set(targets) <= make_targets(), f"{document}: no such make target in {command}"
        return
    if program in ("python", "python3") and parts[1] in ("-c", "-m"):
        return  # the interpreter alone (make a key, make a venv): nothing of the project
    assert program.startswith(".venv/bin/"), (
        f"{document}: write {command!r} with .venv/bin/ so it works in a fresh checkout"
    )
    managed = management_command(parts)
    if managed:
        name, _args = managed
        assert name in get_commands(), f"{document}: no management command {name!r}"
    elif program in (".venv/bin/python", ".venv/bin/python3"):
        assert (ROOT / parts[1]).is_file(), f"{document}: no script {parts[1]}"
    elif program == ".venv/bin/pytest":
        for path in (p for p in parts[1:] if not p.startswith("-") and "/" in p):
            assert (ROOT / path.split("::")[0]).exists(), f"{document}: no test path {path}"
    else:
        assert (ROOT / program).exists(), f"{document}: {program} is not installed"


def safe_to_run(command: str) -> bool:
    managed = management_command(words(command))
    if managed is None or "[" in command:
        return False
    name, args = managed
    rule = SAFE.get((name,))
    return bool(rule and rule(args))


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh copy of the repository as `make run` leaves it (the virtual environment is
    this one, linked in, instead of a new installation)."""
    copy = tmp_path_factory.mktemp("checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    (copy / ".git").mkdir()  # a checkout, as a clone is
    (copy / ".venv").symlink_to(Path(sys.executable).parents[1])
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "SITE_URL", "VAR_DIR"}
        and not k.startswith(("DJANGO_", "PYTEST_"))
    }
    for step in (
        ["make", "--no-print-directory", "var/secret_key"],
        [".venv/bin/python", "manage.py", "migrate", "--noinput"],
        [".venv/bin/python", "manage.py", "load_event"],
    ):
        done = subprocess.run(step, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    return copy, env


RUNNABLE = [(d, c) for d, c in COMMANDS if safe_to_run(c)]


def test_some_documented_commands_are_run():
    assert {words(c)[2] for _d, c in RUNNABLE} >= {"send_test_email", "worker", "load_event"}


@pytest.mark.parametrize(("document", "command"), RUNNABLE, ids=[c for _d, c in RUNNABLE])
def test_safe_documented_command_runs_as_written(after_make_run, document, command):
    copy, env = after_make_run

    done = subprocess.run(
        command, shell=True, cwd=copy, env=env, capture_output=True, text=True, timeout=300
    )

    assert done.returncode == 0, f"{document}: {command}\n{done.stdout}\n{done.stderr}"
