"""Hostile requests to every public form and self-service page: whatever the charset,
content type, method, size or body, the answer is never a 500.

A browser that got the CSRF cookie (by loading the page first) and sends the token in a
header gets past the CSRF check, so the property also reaches the forms behind it."""

from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import html

from registration import services
from tests.registration.conftest import VALID

FORM_PAGES = [
    "/anmeldung/",
    "/en/anmeldung/",
    "/anmeldung/link-vergessen/",
    "/en/anmeldung/link-vergessen/",
    "/konto/login/",
    "/konto/password/reset/",
    "/admin/login/",
]
SELF_SERVICE = [
    "/anmeldung/bestaetigen/{confirm}/",
    "/anmeldung/verwalten/{manage}/",
    "/anmeldung/verwalten/{manage}/aendern/",
    "/anmeldung/verwalten/{manage}/email/",
    "/en/anmeldung/verwalten/{manage}/email/",
    "/anmeldung/verwalten/{manage}/stornieren/",
    "/anmeldung/email-bestaetigen/{email_change}/",
    "/anmeldung/verwalten/not-a-token/aendern/",
]
FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
CHARSETS = ["utf-8", "UTF-8", "latin-1", "iso-8859-15", "cp1252", "utf-16", "utf-16-le", "utf-32"]
CHARSETS += ["ascii", "shift_jis", "koi8-r", "x-no-such-charset", ""]
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

content_types = st.one_of(
    st.builds(
        lambda kind, charset, boundary: "; ".join(
            part
            for part in (
                kind,
                f"boundary={boundary}" if boundary is not None else "",
                f"charset={charset}" if charset else "",
            )
            if part
        ),
        st.sampled_from(FORM_TYPES),
        st.sampled_from(CHARSETS),
        st.none() | st.text("abcXYZ-=_'\"", min_size=0, max_size=12),
    ),
    st.text(st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=60),
)

form_texts = st.text(max_size=80) | st.sampled_from(["Erika", "Jürgen Groß", "erika@example.org"])


@st.composite
def bodies(draw, charset: str):
    """A form body encoded in the charset (or the raw bytes of one), or arbitrary bytes."""
    kind = draw(st.sampled_from(["form", "raw", "large", "empty"]))
    if kind == "raw":
        return draw(st.binary(max_size=2000))
    if kind == "empty":
        return b""
    if kind == "large":
        # Just over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) or many fields.
        return draw(st.sampled_from([b"a=" + b"x" * 2_700_000, b"&".join([b"f=1"] * 1200)]))
    fields = {
        **{name: str(value) for name, value in VALID.items()},
        **draw(st.dictionaries(st.sampled_from([*VALID, "email", "new_email"]), form_texts)),
        "email": draw(form_texts),
        "privacy_consent": "on",
    }
    encoding = charset if charset and charset != "x-no-such-charset" else "utf-8"
    parts = []
    for name, value in fields.items():
        raw = value.encode(encoding, errors="replace")
        parts.append(f"{name}=".encode() + quote_from_bytes(raw).encode())
    return b"&".join(parts)


@pytest.fixture
def links(event):
    confirmed = services.submit_registration(
        event=event, data={**VALID, "email": "erika@example.org"}, language="de"
    ).registration
    confirmed = services.confirm_email(token=confirmed.confirm_token())
    services.request_email_change(registration=confirmed, new_email="neu@example.org")
    confirmed.refresh_from_db()
    unconfirmed = services.submit_registration(
        event=event, data={**VALID, "email": "max@example.org"}, language="de"
    ).registration
    return {
        "confirm": unconfirmed.confirm_token(),
        "manage": confirmed.manage_token(),
        "email_change": confirmed.email_change_token(),
    }


def browser_with_csrf_cookie() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/anmeldung/link-vergessen/")
    return client, client.cookies["csrftoken"].value


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/x-www-form-urlencoded; charset=ISO-8859-1",
    ],
)
@pytest.mark.parametrize("path", ["/anmeldung/", "/anmeldung/link-vergessen/", "/en/anmeldung/"])
def test_form_post_in_other_charset_gets_translated_400(event, path, content_type):
    client, token = browser_with_csrf_cookie()
    body = b"email=j%FCrgen@example.org&first_name=J%FCrgen"

    response = client.generic(
        "POST", path, body, content_type=content_type, headers={"x-csrftoken": token}
    )

    assert response.status_code == 400
    tree = html.fromstring(response.content)
    heading = " ".join(tree.xpath("//h1//text()")).strip()
    if path.startswith("/en/"):
        assert tree.get("lang") == "en"
        assert heading == "This request could not be read"
    else:
        assert tree.get("lang") == "de"
        assert heading == "Diese Anfrage konnte nicht gelesen werden"


@pytest.mark.django_db
def test_self_service_post_in_other_charset_gets_400_and_changes_nothing(event, links):
    from registration.models import Registration

    client, token = browser_with_csrf_cookie()
    response = client.generic(
        "POST",
        f"/anmeldung/verwalten/{links['manage']}/stornieren/",
        b"confirm=1",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        headers={"x-csrftoken": token},
    )

    assert response.status_code == 400
    assert Registration.objects.get(email="erika@example.org").status == "confirmed"


@pytest.mark.django_db
@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    path=st.sampled_from(FORM_PAGES + SELF_SERVICE),
    method=st.sampled_from(METHODS),
    content_type=content_types,
    with_csrf=st.booleans(),
)
@example(
    data=None,
    path="/anmeldung/",
    method="POST",
    content_type="application/x-www-form-urlencoded; charset=utf-16",
    with_csrf=True,
).via("the attack of issue 18")
def test_no_request_gets_a_500(event, links, data, path, method, content_type, with_csrf):
    if with_csrf:
        client, token = browser_with_csrf_cookie()
        headers = {"x-csrftoken": token}
    else:
        client, headers = Client(raise_request_exception=False), {}
    charset = content_type.partition("charset=")[2]
    body = data.draw(bodies(charset)) if data is not None else "email=a".encode("utf-16")

    response = client.generic(
        method, path.format(**links), body, content_type=content_type, headers=headers
    )

    assert response.status_code < 500, (method, path, content_type, body[:200])
