"""Screenshots of the main pages, desktop and phone, with the test browser (Chromium).

    .venv/bin/python scripts/screenshots.py            # temporary server, writes docs/screenshots/
    .venv/bin/python scripts/screenshots.py --out /tmp/shots

The script starts its own throw-away server: a fresh SQLite database in a temporary
folder, the seeded event and programme, a few sample registrations (fictitious
"Mustermann" names) and a throw-away organiser account for the admin. Nothing touches
var/ or a real database. Pages of features that do not exist yet (speaker portal,
check-in) are skipped with a note. The PNGs are reduced to 256 colours to stay small.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}

# Runs inside the temporary server's environment: prepares data, prints the URLs as JSON.
SETUP = r"""
import json, sys
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

call_command("load_event", verbosity=0)
password = sys.argv[1]
from allauth.account.models import EmailAddress

organiser = get_user_model().objects.create_superuser("screenshots", "orga@example.org", password)
EmailAddress.objects.create(user=organiser, email=organiser.email, verified=True, primary=True)
urls = {"home": reverse("home")}
for key, names in {
    "programme": ["programme"],
    "registration_form": ["registration:form"],
    "speaker_portal": ["speakers:portal", "speaker_portal", "portal:index", "portal:home"],
    "checkin": ["checkin:index", "checkin:home", "checkin", "registration:checkin"],
}.items():
    for name in names:
        try:
            urls[key] = reverse(name)
            break
        except NoReverseMatch:
            urls.setdefault(key, None)

try:
    from programme.models import Event
    from registration import emails, services
    from registration.models import Registration
except ImportError:
    Registration = None
if Registration is not None and urls.get("registration_form"):
    event = Event.objects.current()
    people = [
        ("Erika", "Mustermann", "Stadt Musterstadt", "municipality"),
        ("Max", "Mustermann", "Landkreis Musterland", "municipality"),
        ("Maria", "Musterfrau", "Musterhochschule", "science"),
        ("Moritz", "Beispiel", "Beispiel GmbH", "business"),
    ]
    manage = None
    for first, last, organisation, category in people:
        email = f"{first.lower()}.{last.lower()}@example.org"
        services.submit_registration(event=event, language="de", data={
            "salutation": "", "academic_title": "", "first_name": first, "last_name": last,
            "email": email, "organisation": organisation, "position": "",
            "category": category, "model_municipality": "", "accessibility_needs": "",
            "participant_list_consent": True, "privacy_consent": True,
        })
        registration = Registration.objects.get(email=email)
        token = emails.confirm_url(registration).rstrip("/").rsplit("/", 1)[-1]
        services.confirm_email(token=token)
        manage = manage or emails.manage_url(registration)
    urls["self_service"] = manage
    urls["admin_guest_list"] = reverse("admin:registration_registration_changelist")
if urls.get("speaker_portal"):
    # A seeded speaker with a throw-away account, as after accepting the invitation.
    from programme.models import Speaker
    from speakers import services as speaker_services
    from speakers.models import SpeakerAccess

    speakers = Speaker.objects.filter(session_roles__isnull=False).exclude(name="N. N.")
    speaker = speakers.order_by("pk").first()
    SpeakerAccess.objects.update_or_create(
        speaker=speaker, defaults={"email": "referentin@example.org"}
    )
    user = get_user_model().objects.create_user("referentin", "referentin@example.org", password)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    speaker.user = user
    speaker.save()
    speaker_services.confirm_participation(speaker=speaker)
print(json.dumps(urls))
"""


def log_in(page, base: str, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/konto/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the temporary server did not answer at {url}")


def shrink(path: Path) -> None:
    """256 colours: a screenshot of a flat design loses nothing visible and shrinks ~3x."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


def take(urls: dict, base: str, out: Path, password: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    pages = [
        ("home", urls.get("home")),
        ("programme", urls.get("programme")),
        ("registration-form", urls.get("registration_form")),
        ("self-service", urls.get("self_service")),
        ("speaker-portal", urls.get("speaker_portal")),
        ("check-in", urls.get("checkin")),
        ("admin-guest-list", urls.get("admin_guest_list")),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="de-DE")
            page = context.new_page()
            for name, url in pages:
                if not url:
                    print(f"  note: no {name} page yet, skipped")
                    continue
                if name == "speaker-portal":
                    log_in(page, base, "referentin@example.org", password)
                if name == "admin-guest-list":
                    log_in(page, base, "orga@example.org", password)
                page.goto(url if url.startswith("http") else base + url)
                path = out / f"{name}-{device}.png"
                page.screenshot(path=str(path))
                shrink(path)
                written.append(path)
                print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=0, help="loopback port (default: a free one)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    password = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "true",  # runserver serves the static files itself
            "SECRET_KEY": secrets.token_urlsafe(40),
            "VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "SITE_URL": base,
            "EMAIL_HOST": "",
        }
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        setup = subprocess.run(
            [python, "-c", "import django; django.setup()\n" + SETUP, password],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": "eventsite.settings", "PYTHONPATH": str(ROOT)},
        )
        urls = json.loads(setup.stdout.strip().splitlines()[-1])
        server = subprocess.Popen(
            [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/healthz")
            print(f"Screenshots from {base} into {args.out}:")
            take(urls, base, args.out, password)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
