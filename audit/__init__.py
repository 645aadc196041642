"""The audit trail: who changed what, when, on any record of the site.

    from audit import Actor, record, changes_between

`record()` writes one entry in the caller's transaction. The app knows no domain model:
entries point at their record through contenttypes. See docs/organisers.md.
"""

from audit.actors import Actor

# Stands for a value that is not recorded (health data) or was removed (retention).
REDACTED = "[…]"

__all__ = ["REDACTED", "Actor", "changes_between", "record", "scrub", "scrub_entries"]


def record(obj, **kwargs):
    """Write one audit entry about obj (see services.record)."""
    # Imported here so that importing this package (as an installed app) loads no models.
    from audit.services import record as _record

    return _record(obj, **kwargs)


def changes_between(before, after, fields):
    from audit.services import changes_between as _changes_between

    return _changes_between(before, after, fields)


def scrub(obj, **kwargs):
    from audit.services import scrub as _scrub

    return _scrub(obj, **kwargs)


def scrub_entries(entries, **kwargs):
    from audit.services import scrub_entries as _scrub_entries

    return _scrub_entries(entries, **kwargs)
