"""A real gunicorn with the site's configuration: its access log keeps no link secret."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "9f8e7d6c5b4a" * 5 + "1234"


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_access_log_masks_tokens_in_path_query_and_referer(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-only-secret-key-not-for-production",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "eventsite/gunicorn.conf.py",
             "eventsite.wsgi:application"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    fetch(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)
            page = f"{base}/anmeldung/verwalten/{TOKEN}/"
            fetch(page)
            fetch(f"{base}/anmeldung/verwalten/{TOKEN}/aendern/?next=/x/{TOKEN}/")
            fetch(base + "/static/css/site.css", headers={"Referer": page})
        finally:
            server.terminate()
            server.wait(timeout=20)

    written = log.read_text()
    assert (
        "/anmeldung/verwalten/…/" in written or "/anmeldung/verwalten/\\xe2\\x80\\xa6/" in written
    )
    assert "/static/css/site.css" in written
    assert TOKEN not in written
    assert TOKEN[:24] not in written
