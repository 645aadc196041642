import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DJANGO_ENV = {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_django(code: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in DJANGO_ENV}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "eventsite.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_refuses_to_start_with_clear_message(tmp_path):
    # VAR_DIR without a generated key: this checkout may have one from `make run`.
    result = run_django("import django; django.setup()", DEBUG="false", VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def settings_in(folder: Path, *, checkout: bool, key: str | None) -> subprocess.CompletedProcess:
    """Import a copy of the settings from `folder` (a checkout when it has a .git), with a
    key in var/secret_key as `make run` writes it, and no SECRET_KEY in the environment."""
    shutil.copytree(
        ROOT / "eventsite", folder / "eventsite", ignore=shutil.ignore_patterns("*.pyc")
    )
    if checkout:
        (folder / ".git").mkdir()
    if key is not None:
        (folder / "var").mkdir()
        (folder / "var" / "secret_key").write_text(key + "\n")
    env = {k: v for k, v in os.environ.items() if k not in DJANGO_ENV | {"VAR_DIR"}}
    return subprocess.run(
        [sys.executable, "-c", "from eventsite import settings; print(settings.SECRET_KEY)"],
        cwd=folder,
        env={**env, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_checkout_finds_the_key_that_make_run_generated(tmp_path):
    result = settings_in(tmp_path, checkout=True, key="generated-by-make-run-" + "k" * 40)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "generated-by-make-run-" + "k" * 40


def test_an_installed_site_ignores_a_key_file_and_refuses_without_secret_key(tmp_path):
    result = settings_in(tmp_path, checkout=False, key="left-behind-" + "k" * 40)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_checkout_without_a_generated_key_still_refuses(tmp_path):
    result = settings_in(tmp_path, checkout=True, key=None)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_without_secret_key():
    result = run_django("import django; django.setup(); print('ok')", DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_healthz_answers_200_with_json_when_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_database_is_unreachable():
    # Nothing listens on port 1: a real connection failure, not a mock.
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    result = run_django(
        code,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://nobody:nothing@127.0.0.1:1/none",
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status": 503, "body": {"status": "unavailable", "database": False}}


def test_server_error_page_renders_in_layout_when_the_database_is_down(tmp_path):
    # The home page needs the database; with none reachable, the translated 503 page.
    # Production settings: the stylesheet comes from the collected, hashed static files.
    code = (
        "import django, json; django.setup();"
        "from django.core.management import call_command;"
        "call_command('collectstatic', interactive=False, verbosity=0);"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/en/');"
        "print(json.dumps({'status': r.status_code, 'html': r.content.decode()}))"
    )
    result = run_django(
        code,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL="postgres://nobody:nothing@127.0.0.1:1/none",
        STATIC_ROOT=str(tmp_path / "static"),
        LOG_LEVEL="CRITICAL",
    )

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert '<html lang="en">' in answer["html"]
    assert "Temporarily unavailable" in answer["html"]
    assert '<link rel="stylesheet" href="/static/css/site.' in answer["html"]
    assert 'class="site-header"' in answer["html"]
    assert 'href="/en/impressum/"' in answer["html"]


def test_retention_setting_must_not_be_negative():
    result = run_django(
        "import django; django.setup()", DEBUG="true", RETENTION_DAYS_AFTER_EVENT="-1"
    )

    assert result.returncode != 0
    assert "RETENTION_DAYS_AFTER_EVENT must be 0 or more days." in result.stderr


@pytest.mark.parametrize("site_url", ["https://veranstaltung.example.org"])
def test_deployment_checklist_passes_in_production_settings(site_url):
    env = {k: v for k, v in os.environ.items() if k not in DJANGO_ENV}
    env.update(
        SECRET_KEY="a-long-random-production-secret-" + "k" * 40,
        SITE_URL=site_url,
        ALLOWED_HOSTS="veranstaltung.example.org",
        DJANGO_SETTINGS_MODULE="eventsite.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr


def test_public_pages_send_a_strict_content_security_policy(client, event):
    policy = client.get("/").headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_admin_has_its_own_policy_without_unsafe_inline(admin_client):
    policy = admin_client.get("/admin/").headers["Content-Security-Policy"]
    assert "'nonce-" in policy and "unsafe-inline" not in policy
