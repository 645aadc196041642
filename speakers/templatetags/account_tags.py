from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def logged_in_user(context):
    """The logged-in user, or None, without touching the session of a visitor who has
    none: a page that reads the session is personal and the page cache skips it."""
    request = context.get("request")
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = context.get("user")
    return user if user is not None and user.is_authenticated else None
