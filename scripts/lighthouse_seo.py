"""Lighthouse's SEO audit on every public page, German and English, against a throw-away server.

    npm i -E lighthouse@12.2.3                      # once, in any folder (13.x wants Node 22)
    .venv/bin/python scripts/lighthouse_seo.py --lighthouse ./node_modules/.bin/lighthouse
    .venv/bin/python scripts/lighthouse_seo.py --port 8123 --categories seo,accessibility

The script starts its own server (a fresh SQLite database in a temporary folder with the
seeded event and programme, runserver with DEBUG on so it serves the static files), reads
the pages from the site's own /sitemap.xml (plus the "lost link" form, which is public but
not worth indexing; one session and one speaker page per language unless --every), runs
Lighthouse on each, prints one line per page with its scores and the audits that failed,
and exits with 1 when a score is below 100. Chromium comes from CHROMIUM_PATH (default
/usr/bin/chromium). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
EXTRA_PATHS = ["/anmeldung/link-vergessen/", "/en/anmeldung/link-vergessen/"]
DETAILS = {"programm", "referierende"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the temporary server did not answer at {url}")


def page_urls(base: str, every: bool) -> list[str]:
    """The sitemap's pages; without `every`, one session and one speaker page per language
    stand for the others (they share one template)."""
    with urllib.request.urlopen(base + "/sitemap.xml", timeout=10) as response:
        document = ET.fromstring(response.read())
    urls = [loc.text for loc in document.findall("s:url/s:loc", SITEMAP_NS)]
    if not every:
        seen: set[str] = set()
        kept = []
        for url in urls:
            parts = url.removeprefix(base).strip("/").split("/")
            kind = "/".join(parts[:-1]) if len(parts) > 1 and parts[-2] in DETAILS else url
            if kind not in seen:
                seen.add(kind)
                kept.append(url)
        urls = kept
    return urls + [base + path for path in EXTRA_PATHS]


def audit(lighthouse: list[str], url: str, categories: str, out: Path) -> dict:
    subprocess.run(
        [
            *lighthouse,
            url,
            "--quiet",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            f"--only-categories={categories}",
            "--output=json",
            f"--output-path={out}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    report = json.loads(out.read_text())
    scores = {
        name: round((category["score"] or 0) * 100)
        for name, category in report["categories"].items()
    }
    failed = sorted(
        audit_id
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] > 0
        for audit_id in [ref["id"]]
        if (report["audits"][audit_id]["score"] is not None)
        and report["audits"][audit_id]["score"] < 1
    )
    return {"scores": scores, "failed": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lighthouse", default=os.environ.get("LIGHTHOUSE", "lighthouse"))
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--categories", default="seo")
    parser.add_argument(
        "--every", action="store_true", help="every session and speaker page, not one of each"
    )
    args = parser.parse_args()
    lighthouse = [shutil.which(args.lighthouse) or args.lighthouse]

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "true",  # runserver serves the static files itself
            "SECRET_KEY": secrets.token_urlsafe(40),
            "VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/lighthouse.sqlite3",
            "SITE_URL": base,
            "EMAIL_HOST": "",
        }
        python = sys.executable
        for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_event"]):
            subprocess.run(
                [python, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        below = 0
        try:
            wait_for(base + "/healthz")
            urls = page_urls(base, args.every)
            print(f"Lighthouse ({args.categories}) on {len(urls)} pages of {base}:")
            for index, url in enumerate(urls):
                result = audit(lighthouse, url, args.categories, Path(tmp) / f"{index}.json")
                scores = " ".join(f"{name}={score}" for name, score in result["scores"].items())
                failed = f"  failed: {', '.join(result['failed'])}" if result["failed"] else ""
                print(f"  {scores}  {url.removeprefix(base)}{failed}", flush=True)
                below += any(score < 100 for score in result["scores"].values())
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{below} page(s) below 100." if below else "Every page scores 100.")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
