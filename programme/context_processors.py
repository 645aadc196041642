from programme.models import Event


def event(request):
    """The event is in every page's header and footer."""
    return {"event": Event.objects.current()}
