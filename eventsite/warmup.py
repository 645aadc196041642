"""Work a new gunicorn worker does before its first request instead of during it.

A worker starts cold: Django's e-mail validator compiles its domain pattern (about 45 ms
of CPU, with every Unicode letter in it) the first time an address is checked, and each
thread that gets there first may compile it again; the empty sign-up form is rendered
once per language and then kept (registration_tags.sign_up_fields). Left to the first
requests, that work lands on the first visitors of a registration rush after a deploy,
which is when a worker is new and the load is highest.
"""

import logging

from django.conf import settings
from django.core.validators import EmailValidator
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Never raises: a worker that could not warm up still serves, only slower at first."""
    try:
        # A lazily compiled pattern (django.utils.regex_helper): reading it compiles it.
        EmailValidator.domain_regex.pattern  # noqa: B018

        from registration.forms import RegistrationForm
        from registration.templatetags.registration_tags import sign_up_fields

        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                sign_up_fields(RegistrationForm(initial={"invitation_code": ""}))
    except Exception:
        logger.exception("Warm-up failed: the first requests of this worker do that work.")
