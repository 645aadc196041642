"""The speaker side's rules: invitations, participation, profile, slides, slot changes.

Every email goes through the outbox (speakers/emails.py) in the transaction of the change
it reports, so a rolled-back change sends nothing."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import Actor, changes_between, record
from eventsite.pdf_uploads import PdfRejected, count_pdf_pages
from programme.models import Session, SessionSpeaker, Speaker
from programme.photos import remove_speaker_photo, use_stored_photo
from speakers import emails
from speakers.models import INVITATION_DAYS, Slides, SpeakerAccess, hash_token

MAX_SLIDES_BYTES = 20 * 1024 * 1024

# What speakers maintain themselves; name, title and slug stay with the organisers.
PROFILE_FIELDS = (
    "position_de",
    "position_en",
    "organisation_de",
    "organisation_en",
    "bio_de",
    "bio_en",
)


class SpeakerError(Exception):
    """A rule said no. `message` is translated and meant for the person acting."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


# --- invitations ---------------------------------------------------------------------------


class InvitationState:
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    INVALID = "invalid"


@dataclass(frozen=True)
class InvitationCheck:
    state: str
    access: SpeakerAccess | None = None


def access_for(speaker: Speaker) -> SpeakerAccess:
    access, _created = SpeakerAccess.objects.get_or_create(speaker=speaker)
    return access


def speaker_email(speaker: Speaker) -> str:
    """Where the speaker's emails go: their account's address, else the invitation's."""
    if speaker.user_id and speaker.user.email:
        return speaker.user.email
    access = getattr(speaker, "access", None)
    return access.email if access is not None else ""


def has_account(speaker: Speaker) -> bool:
    return bool(speaker.user_id and speaker.user.has_usable_password())


PORTAL = Actor.attendee(via="speaker-portal")


def invite(
    *, speaker: Speaker, now: datetime.datetime | None = None, actor: Actor | None = None
) -> str:
    """Send the speaker a personal link to set a password (valid INVITATION_DAYS days), or,
    if they already have an account, a link to log in. A new invitation voids the old link.

    Returns "invited" or "login_link"."""
    now = now or timezone.now()
    with transaction.atomic():
        access = SpeakerAccess.objects.select_for_update().get(pk=access_for(speaker).pk)
        if has_account(speaker):
            access.invited_at = now
            access.save(update_fields=["invited_at"])
            emails.login_link(speaker=speaker, access=access)
            record(speaker, actor=actor or Actor.system("invitation"), action="login_link_sent")
            return "login_link"
        if not access.email:
            raise SpeakerError(
                _("Für %(name)s ist keine E-Mail-Adresse eingetragen.")
                % {"name": speaker.full_name},
                code="no_email",
            )
        token = secrets.token_urlsafe(32)
        access.invitation_token_hash = hash_token(token)
        access.invited_at = now
        access.invitation_expires_at = now + datetime.timedelta(days=INVITATION_DAYS)
        access.invitation_used_at = None
        access.save(
            update_fields=[
                "invitation_token_hash",
                "invited_at",
                "invitation_expires_at",
                "invitation_used_at",
            ]
        )
        emails.invitation(speaker=speaker, access=access, token=token)
        record(speaker, actor=actor or Actor.system("invitation"), action="invited")
    return "invited"


def check_invitation(token: str, *, now: datetime.datetime | None = None) -> InvitationCheck:
    now = now or timezone.now()
    if not token or len(token) > 100:
        return InvitationCheck(InvitationState.INVALID)
    access = (
        SpeakerAccess.objects.select_related("speaker")
        .filter(invitation_token_hash=hash_token(token))
        .first()
    )
    if access is None:
        return InvitationCheck(InvitationState.INVALID)
    if access.invitation_used_at is not None:
        return InvitationCheck(InvitationState.USED, access)
    if access.invitation_expires_at is None or access.invitation_expires_at <= now:
        return InvitationCheck(InvitationState.EXPIRED, access)
    return InvitationCheck(InvitationState.VALID, access)


def accept_invitation(*, token: str, password: str):
    """Create (or complete) the speaker's account with this password and link it.

    The link proves the address, so it counts as confirmed. Returns the user."""
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        check = check_invitation(token)
        if check.state != InvitationState.VALID:
            raise SpeakerError(_("Dieser Einladungslink gilt nicht mehr."), code=check.state)
        access = SpeakerAccess.objects.select_for_update().get(pk=check.access.pk)
        if access.invitation_used_at is not None:
            raise SpeakerError(_("Dieser Einladungslink gilt nicht mehr."), code="used")
        speaker = access.speaker
        user_model = get_user_model()
        user = speaker.user
        if user is None:
            user = user_model.objects.filter(email__iexact=access.email).first()
        if user is None:
            user = user_model(username=_free_username(access.email), email=access.email)
        user.set_password(password)
        user.save()
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
            primary=False
        )
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if not (address.verified and address.primary):
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])
        if speaker.user_id != user.pk:
            speaker.user = user
            speaker.save(update_fields=["user"])
        access.invitation_used_at = timezone.now()
        access.save(update_fields=["invitation_used_at"])
        record(speaker, actor=PORTAL, action="invitation_accepted")
    return user


def _free_username(email: str) -> str:
    """Django's user model needs a unique username; people log in by email only."""
    user_model = get_user_model()
    base = email.split("@")[0][:120] or "speaker"
    candidate = base
    while user_model.objects.filter(username=candidate).exists():
        candidate = f"{base}-{secrets.token_hex(3)}"
    return candidate


def request_new_invitation(*, email: str) -> None:
    """Someone with an expired or lost link asks again. If the address belongs to an
    invited speaker, a fresh invitation (or a login link) goes to that address; either
    way nothing tells the asker whether it did."""
    access = (
        SpeakerAccess.objects.select_related("speaker", "speaker__user")
        .filter(email__iexact=email.strip())
        .exclude(invited_at=None)
        .first()
    )
    if access is None:
        return
    invite(speaker=access.speaker)


# --- participation -------------------------------------------------------------------------


def confirm_participation(*, speaker: Speaker) -> SpeakerAccess:
    return _set_participation(speaker, SpeakerAccess.Participation.CONFIRMED, reason="")


def withdraw_participation(*, speaker: Speaker, reason: str) -> SpeakerAccess:
    reason = reason.strip()
    if not reason:
        raise SpeakerError(
            _("Bitte nennen Sie kurz den Grund, damit das Organisationsteam planen kann."),
            code="reason_missing",
        )
    return _set_participation(speaker, SpeakerAccess.Participation.WITHDRAWN, reason=reason)


def _set_participation(speaker: Speaker, state: str, *, reason: str) -> SpeakerAccess:
    with transaction.atomic():
        access = SpeakerAccess.objects.select_for_update().get(pk=access_for(speaker).pk)
        if access.participation == state and access.withdrawal_reason == reason:
            return access
        old = access.participation
        access.participation = state
        access.participation_changed_at = timezone.now()
        access.withdrawal_reason = reason
        access.save(
            update_fields=["participation", "participation_changed_at", "withdrawal_reason"]
        )
        emails.participation_changed(speaker=speaker, access=access)
        record(
            speaker,
            actor=PORTAL,
            action=f"participation_{state}",
            changes={"participation": (old, state)},
        )
    return access


def remember_language(*, speaker: Speaker, language: str) -> None:
    """The portal's language is the language of the speaker's next emails."""
    SpeakerAccess.objects.filter(speaker=speaker).exclude(language=language).update(
        language=language
    )


# --- profile -------------------------------------------------------------------------------


def save_profile(
    *,
    speaker: Speaker,
    values: dict[str, str | None],
    photo_key: str = "",
    remove_photo: bool = False,
) -> Speaker:
    """Put the speaker's previewed profile in place: the texts, and the photo stored for
    the preview (or no photo). One audit entry lists each changed field, old and new."""
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not editable by speakers: {sorted(unknown)}")
    with transaction.atomic():
        current = Speaker.objects.select_for_update().get(pk=speaker.pk)
        # An empty field is stored as NULL or "" depending on how it was last written;
        # both mean "not given", and turning one into the other is no change.
        edited = {
            field: value
            for field, value in values.items()
            if (value or "") != (getattr(current, field) or "")
        }
        watched = (*edited, "photo_key")
        before = {field: getattr(current, field) for field in watched}
        for field, value in edited.items():
            setattr(current, field, value)
        if edited:
            current.save(update_fields=list(edited))
        if photo_key:
            use_stored_photo(speaker=current, key=photo_key)
        elif remove_photo:
            remove_speaker_photo(speaker=current)
        changes = changes_between(before, current, watched)
        if changes:
            record(current, actor=PORTAL, action="profile_changed", changes=changes)
    return current


# --- slides --------------------------------------------------------------------------------


def check_pdf(upload) -> int:
    """The number of pages of a real PDF of at most 20 MB, or SpeakerError."""
    try:
        return count_pdf_pages(upload, limit_bytes=MAX_SLIDES_BYTES)
    except PdfRejected as rejected:
        messages = {
            "too_large": _(
                "Die Datei ist größer als 20 MB. Bitte laden Sie eine kleinere PDF-Datei hoch."
            ),
            "not_a_pdf": _(
                "Die Datei ist keine lesbare PDF-Datei. Bitte exportieren Sie Ihre Folien als PDF."
            ),
            "encrypted": _(
                "Die PDF-Datei ist verschlüsselt. Bitte laden Sie sie ohne Passwort hoch."
            ),
        }
        raise SpeakerError(messages[rejected.reason], code=rejected.reason) from None


def upload_slides(*, speaker: Speaker, session: Session, upload) -> Slides:
    """Store (or replace) the speaker's slides for a session of theirs. A replaced file
    needs a new release: organisers release what they have seen."""
    if not SessionSpeaker.objects.filter(speaker=speaker, session=session).exists():
        raise SpeakerError(_("Sie wirken bei diesem Programmpunkt nicht mit."), code="foreign")
    pages = check_pdf(upload)
    with transaction.atomic():
        slides = Slides.objects.select_for_update().filter(speaker=speaker, session=session).first()
        old_name = slides.file.name if slides else None
        if slides is None:
            slides = Slides(speaker=speaker, session=session)
        slides.file.save("slides.pdf", upload, save=False)
        slides.size = upload.size
        slides.pages = pages
        slides.uploaded_at = timezone.now()
        slides.released_at = None
        slides.save()
        if old_name:
            storage = slides.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        record(speaker, actor=PORTAL, action="slides_uploaded", note=session.title)
    return slides


def delete_slides(*, slides: Slides) -> None:
    name, storage = slides.file.name, slides.file.storage
    with transaction.atomic():
        slides.delete()
        transaction.on_commit(lambda: storage.delete(name))


def release_slides(*, slides: Slides, released: bool, actor: Actor | None = None) -> None:
    slides.released_at = timezone.now() if released else None
    slides.save(update_fields=["released_at"])
    record(
        slides.speaker,
        actor=actor or Actor.system("slides"),
        action="slides_released" if released else "slides_release_withdrawn",
        note=slides.session.title,
    )


# --- slot changes --------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotState:
    """What a speaker cares about in a session: time, place, who else is on stage."""

    start: datetime.datetime
    end: datetime.datetime
    time_confirmed: bool
    location_de: str
    location_en: str
    people: tuple[tuple[int, str, str], ...]  # (speaker id, name, role)

    @classmethod
    def of(cls, session: Session) -> SlotState:
        links = (
            SessionSpeaker.objects.filter(session=session)
            .select_related("speaker")
            .order_by("order", "pk")
        )
        return cls(
            start=session.start,
            end=session.end,
            time_confirmed=session.time_confirmed,
            location_de=session.location_de or "",
            location_en=session.location_en or "",
            people=tuple((link.speaker_id, link.speaker.full_name, link.role) for link in links),
        )

    @property
    def people_lines(self) -> list[str]:
        """ "Name (role)" per person; the role is translated where the email is rendered."""
        return [f"{name} ({SessionSpeaker.Role(role).label})" for _id, name, role in self.people]

    @property
    def speaker_ids(self) -> set[int]:
        return {person[0] for person in self.people}


def changed_fields(before: SlotState, after: SlotState) -> list[str]:
    fields = []
    if (before.start, before.end) != (after.start, after.end):
        fields.append("time")
    if before.time_confirmed != after.time_confirmed:
        fields.append("time_confirmed")
    if before.location_de != after.location_de:
        fields.append("location")
    if before.people != after.people:
        fields.append("people")
    return fields


def notify_slot_change(*, session: Session, before: SlotState) -> int:
    """Tell every speaker of the session (and anyone just removed from it) once about all
    that changed, old and new side by side. Queued after the change commits.

    Returns the number of speakers that will be written to."""
    after = SlotState.of(session)
    fields = changed_fields(before, after)
    if not fields:
        return 0
    recipients = list(
        Speaker.objects.filter(pk__in=before.speaker_ids | after.speaker_ids)
        .select_related("user", "access")
        .order_by("pk")
    )
    recipients = [speaker for speaker in recipients if speaker_email(speaker)]

    def queue():
        with transaction.atomic():
            for speaker in recipients:
                emails.slot_changed(
                    speaker=speaker, session=session, before=before, after=after, fields=fields
                )

    transaction.on_commit(queue)
    return len(recipients)
