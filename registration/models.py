"""Registrations for the event, and the organisers' registration window.

Seat-changing writes live in registration/services.py; this module holds the data, the
rules the database can enforce, and small reads.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def private_storage() -> FileSystemStorage:
    """Press cards and assignment notes are personal documents: stored outside MEDIA_ROOT,
    which may be served publicly, and downloaded only through the admin. A callable, so the
    location is read from the settings at run time and never written into a migration."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def sort_key(text: str) -> str:
    """Alphabetical as in a German list (DIN 5007, variant 1): Ä with A, ß as ss, accents
    ignored, case ignored. The database's own order would put “Özdemir” after “Zander”."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_name(last_name: str, first_name: str) -> bytes:
    """Registration.sort_name: by last name, then first name, each by sort_key. Bytes (UTF-8)
    compare as the code points do, and every database orders bytes byte by byte; a text
    column would follow the database's collation, which in many locales skips spaces and
    hyphens. The NUL byte (never in a name: forms refuse it) ends the last name, so that
    “Adler” comes before “Adler von”, and both before “Adlerberg”."""
    return f"{sort_key(last_name)}\0{sort_key(first_name)}".encode()


# Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L): about 40 bits,
# enough that nobody guesses a valid code, short enough to read out at the door.
ENTRY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ENTRY_CODE_LENGTH = 8


def new_entry_code() -> str:
    return "".join(secrets.choice(ENTRY_CODE_ALPHABET) for _ in range(ENTRY_CODE_LENGTH))


def normalise_entry_code(text: str) -> str:
    """What a person reads out or types (“abcd efgh”, “ABCD-EFGH”) as stored."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def new_token_nonce() -> str:
    return secrets.token_urlsafe(32)


def derive_token(purpose: str, nonce: str) -> str:
    """The secret a link carries: HMAC-SHA256 of a random per-registration nonce under
    SECRET_KEY (256 bits). The database keeps the nonce and a hash of the token, never the
    token itself, so a copy of the database alone opens no registration; the same token can
    still be put into every later email (waiting list moved up, changes) without storing it.
    Rotating the nonce revokes every link issued before."""
    return salted_hmac(f"registration.token.{purpose}", nonce, algorithm="sha256").hexdigest()[:64]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenPurpose(models.TextChoices):
    MANAGE = "manage", _("Selbstverwaltung")
    CONFIRM = "confirm", _("E-Mail-Bestätigung")
    EMAIL_CHANGE = "email-change", _("Neue E-Mail-Adresse")


class WindowState(models.TextChoices):
    """Whether the registration window takes new registrations."""

    OPEN = "open", _("geöffnet")
    NOT_YET_OPEN = "not_yet_open", _("noch nicht geöffnet")
    CLOSED = "closed", _("geschlossen")
    EVENT_OVER = "event_over", _("geschlossen: Die Veranstaltung hat stattgefunden")


class RegistrationSettings(models.Model):
    """Per-event registration window, kept in this app so it never needs a migration of the
    programme app. Created on first use with the window open."""

    event = models.OneToOneField(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="registration_settings",
    )
    opens_at = models.DateTimeField(
        _("Anmeldung öffnet"), null=True, blank=True, help_text=_("Leer: sofort.")
    )
    closes_at = models.DateTimeField(
        _("Anmeldung schließt"), null=True, blank=True, help_text=_("Leer: kein Ende.")
    )
    closed_manually = models.BooleanField(
        _("Anmeldung von Hand geschlossen"),
        default=False,
        help_text=_("Schließt die Anmeldung sofort, unabhängig von den Zeiten."),
    )

    class Meta:
        verbose_name = _("Anmeldezeitraum")
        verbose_name_plural = _("Anmeldezeiträume")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="registration_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)

    @classmethod
    def for_event(cls, event) -> RegistrationSettings:
        """The event's window, created on first use; no query when the event was read
        with select_related("registration_settings") and has one."""
        if type(event).registration_settings.is_cached(event):
            try:
                window = event.registration_settings
            except cls.DoesNotExist:
                pass  # read and not there yet
            else:
                window.event = event
                return window
        window, _created = cls.objects.get_or_create(event=event)
        window.event = event  # state() reads its end; no second query
        return window

    def state(self, now: datetime.datetime | None = None) -> WindowState:
        now = now or timezone.now()
        if settings.AFTER_THE_EVENT and now >= self.event.ends_at:
            return WindowState.EVENT_OVER
        if self.closed_manually or (self.closes_at and now >= self.closes_at):
            return WindowState.CLOSED
        if self.opens_at and now < self.opens_at:
            return WindowState.NOT_YET_OPEN
        return WindowState.OPEN

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.state(now) == WindowState.OPEN


def waiting_pool_key():
    """The waiting list a registration is on, as a number for comparisons: its contingent
    while that is unreleased, else 0 (the public pool; registration/pools.py)."""
    return Coalesce(
        models.Case(
            models.When(
                contingent__isnull=False,
                contingent__released_at__isnull=True,
                then=F("contingent_id"),
            ),
            default=None,
        ),
        0,
    )


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that keep their email address taken."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def live_holds(self, now: datetime.datetime | None = None):
        return self.filter(
            status__in=Registration.HOLDING_STATUSES, hold_expires_at__gt=now or timezone.now()
        )

    def lapsed(self, now: datetime.datetime | None = None):
        """Registrations whose deadline ran out: the address was not confirmed in time, or
        a press accreditation was not decided in time."""
        return self.filter(
            status__in=[
                Registration.Status.HELD,
                Registration.Status.UNCONFIRMED,
                Registration.Status.AWAITING_APPROVAL,
            ],
            hold_expires_at__lte=now or timezone.now(),
        )

    def participant_list(self, event):
        """Confirmed guests who agreed to appear on the list handed to participants."""
        return self.filter(
            event=event, status=Registration.Status.CONFIRMED, participant_list_consent=True
        ).order_by("last_name", "first_name", "pk")

    def alphabetical(self):
        """By last name, then first name, in German order (sort_name), as the printouts for
        the door list them."""
        return self.order_by("sort_name", "pk")

    def waiting_list(self):
        return self.filter(status=Registration.Status.WAITING).order_by("waitlisted_at", "pk")

    def with_waiting_place(self):
        """Annotate `waiting_place`: 1 for the first person on the waiting list of their
        pool (their contingent's, or the public one), None for everybody not waiting. The
        one definition of the place, for the person's own pages, the admin list and the
        export, in the same query as the rows."""
        waiting = Registration.Status.WAITING
        ahead = (
            Registration.objects.annotate(waiting_pool=waiting_pool_key())
            .filter(
                event_id=OuterRef("event_id"),
                status=waiting,
                waiting_pool=OuterRef("waiting_pool"),
            )
            .filter(
                Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
                | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("event_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(waiting_pool=waiting_pool_key()).annotate(
            waiting_place=models.Case(
                models.When(
                    status=waiting,
                    then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
                ),
                default=None,
                output_field=IntegerField(),
            )
        )

    def by_token(self, purpose: TokenPurpose, token: str):
        field = {
            TokenPurpose.MANAGE: "manage_token_hash",
            TokenPurpose.CONFIRM: "confirm_token_hash",
            TokenPurpose.EMAIL_CHANGE: "email_change_token_hash",
        }[purpose]
        if not token or len(token) > 200:
            return self.none()
        return self.filter(**{field: hash_token(token)})


class Registration(models.Model):
    """A person's registration for the event, without an account."""

    class Status(models.TextChoices):
        # Submitted while seats were free: a seat is held until hold_expires_at.
        HELD = "held", _("Platz reserviert, E-Mail-Adresse unbestätigt")
        # Submitted while full: joins the waiting list once the address is confirmed.
        UNCONFIRMED = "unconfirmed", _("Ausgebucht, E-Mail-Adresse unbestätigt")
        CONFIRMED = "confirmed", _("Bestätigt")
        # Press: address confirmed, a seat in the press contingent is held until an
        # organiser approves or declines the accreditation, at most until hold_expires_at.
        AWAITING_APPROVAL = "awaiting_approval", _("Presse: Akkreditierung wird geprüft")
        WAITING = "waiting", _("Warteliste")
        CANCELLED = "cancelled", _("Storniert")
        EXPIRED = "expired", _("Nicht rechtzeitig bestätigt")

    class Salutation(models.TextChoices):
        NONE = "", _("Keine Anrede")
        MS = "ms", _("Frau")
        MR = "mr", _("Herr")

    class Category(models.TextChoices):
        FEDERAL = "federal", _("Bundesverwaltung")
        STATE = "state", _("Landesverwaltung")
        MUNICIPALITY = "municipality", _("Kommunalverwaltung")
        MODEL_MUNICIPALITY = "model_municipality", _("Eine der acht Modellkommunen")
        MUNICIPAL_ASSOCIATION = "municipal_association", _("Kommunaler Spitzenverband")
        SCIENCE = "science", _("Wissenschaft")
        BUSINESS = "business", _("Wirtschaft")
        PRESS = "press", _("Presse")
        OTHER = "other", _("Sonstiges")

    class ModelMunicipality(models.TextChoices):
        NONE = "", _("–")
        DUEREN = "dueren", "Düren"
        GUETERSLOH = "guetersloh", "Gütersloh"
        HALLE = "halle", "Halle (Saale)"
        NORDERSTEDT = "norderstedt", "Norderstedt"
        IBBENBUEREN = "ibbenbueren", _("Bewerbergemeinschaft Ibbenbüren")
        COCHEM_ZELL = "cochem_zell", _("Landkreis Cochem-Zell")
        HEIDEKREIS = "heidekreis", _("Landkreis Heidekreis")
        ORTENAUKREIS = "ortenaukreis", _("Ortenaukreis")

    class CancelledBy(models.TextChoices):
        NOBODY = "", "–"
        PARTICIPANT = "participant", _("Teilnehmende Person")
        ORGANISER = "organiser", _("Organisationsteam")

    class Accreditation(models.TextChoices):
        NOT_NEEDED = "", _("nicht nötig")
        PENDING = "pending", _("wird geprüft")
        APPROVED = "approved", _("bestätigt")
        DECLINED = "declined", _("abgelehnt")

    ACTIVE_STATUSES = [
        Status.HELD,
        Status.UNCONFIRMED,
        Status.CONFIRMED,
        Status.AWAITING_APPROVAL,
        Status.WAITING,
    ]
    # Statuses whose seat is held until hold_expires_at.
    HOLDING_STATUSES = [Status.HELD, Status.AWAITING_APPROVAL]

    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    salutation = models.CharField(
        _("Anrede"), max_length=5, choices=Salutation.choices, blank=True, default=""
    )
    academic_title = models.CharField(_("Akademischer Titel"), max_length=50, blank=True)
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    # Derived from the names on every save (see sort_name), so that the database sorts
    # 100,000 registrations for the printouts and the rows can stream.
    sort_name = models.BinaryField(_("Sortierschlüssel des Namens"), default=b"", editable=False)
    email = models.EmailField(_("E-Mail-Adresse"), max_length=254)
    organisation = models.CharField(_("Organisation"), max_length=200)
    position = models.CharField(_("Funktion"), max_length=200, blank=True)
    category = models.CharField(_("Bereich"), max_length=30, choices=Category.choices)
    model_municipality = models.CharField(
        _("Modellkommune"),
        max_length=20,
        choices=ModelMunicipality.choices,
        blank=True,
        default="",
    )
    accessibility_needs = models.TextField(
        _("Bedarf an Barrierefreiheit"), max_length=1000, blank=True
    )
    privacy_consent_version = models.CharField(_("Fassung der Datenschutzhinweise"), max_length=64)
    privacy_consented_at = models.DateTimeField(_("Einwilligung Datenschutz am"))
    participant_list_consent = models.BooleanField(
        _("Einverstanden mit Teilnehmendenliste"), default=False
    )
    language = models.CharField(_("Sprache"), max_length=5, default="de")
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices)
    # Empty: the public pool. A person belongs to a contingent through an invitation code
    # or, for the press, through the press contingent.
    contingent = models.ForeignKey(
        "registration.Contingent",
        verbose_name=_("Kontingent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    invitation_code = models.ForeignKey(
        "registration.InvitationCode",
        verbose_name=_("Einladungscode"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    media_outlet = models.CharField(_("Medium"), max_length=200, blank=True)
    press_document = models.FileField(
        _("Presseausweis oder Auftragsbestätigung"),
        upload_to="press/",
        storage=private_storage,
        blank=True,
    )
    accreditation = models.CharField(
        _("Akkreditierung"),
        max_length=20,
        choices=Accreditation.choices,
        blank=True,
        default="",
    )

    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("zuletzt geändert"), auto_now=True)
    hold_expires_at = models.DateTimeField(
        _("Bestätigung möglich bis"),
        null=True,
        blank=True,
        help_text=_("Bis dann muss die E-Mail-Adresse bestätigt sein."),
    )
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("auf der Warteliste seit"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    # The outbox's messages about this registration; deleted with it (they hold its data).
    emails = GenericRelation(
        "mail.OutgoingEmail",
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="registration",
    )
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("storniert von"), max_length=20, choices=CancelledBy.choices, blank=True, default=""
    )
    checked_in_at = models.DateTimeField(_("eingelassen am"), null=True, blank=True)

    class Certificate(models.TextChoices):
        NOT_YET = "", _("Noch nicht ausgestellt")
        ISSUED = "issued", _("Ausgestellt")
        WITHHELD = "withheld", _("Zurückgehalten")

    certificate = models.CharField(
        _("Teilnahmebescheinigung"),
        max_length=10,
        choices=Certificate.choices,
        blank=True,
        default="",
        editable=False,
    )
    certificate_sent_at = models.DateTimeField(
        _("Link zur Bescheinigung verschickt am"), null=True, blank=True, editable=False
    )
    reminded_at = models.DateTimeField(
        _("erinnert am"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Wann die Erinnerung vor der Veranstaltung (oder der letzte Aufruf) ging."),
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingelassen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the personal data was removed (registration/retention.py); what stays
    # (status, category, dates) is anonymous and feeds the counts.
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    entry_code = models.CharField(
        _("Einlasscode"), max_length=ENTRY_CODE_LENGTH, default=new_entry_code, editable=False
    )
    # Link secrets: a random nonce each, and the SHA-256 of the derived token for lookups
    # (see derive_token). The confirmation token stays valid after use so that a second
    # click says "already confirmed" instead of failing.
    manage_token_nonce = models.CharField(max_length=64, default=new_token_nonce, editable=False)
    manage_token_hash = models.CharField(max_length=64, editable=False)
    confirm_token_nonce = models.CharField(max_length=64, default=new_token_nonce, editable=False)
    confirm_token_hash = models.CharField(max_length=64, editable=False)
    pending_email = models.EmailField(_("neue E-Mail-Adresse (unbestätigt)"), blank=True)
    email_change_token_nonce = models.CharField(max_length=64, blank=True, editable=False)
    email_change_token_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    email_change_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Keyed hash of the client network a held seat came from (services.client_key), for
    # the cap on held seats per client; emptied once the address is confirmed.
    client_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["created_at"]
        # The group "Einlass" (door staff) holds only this permission.
        permissions = [("check_in", _("Gäste am Einlass einlassen"))]
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(
                    status__in=["held", "unconfirmed", "confirmed", "awaiting_approval", "waiting"]
                ),
                name="one_active_registration_per_email",
            ),
            models.UniqueConstraint(fields=["entry_code"], name="unique_entry_code"),
            models.UniqueConstraint(fields=["manage_token_hash"], name="unique_manage_token"),
            models.UniqueConstraint(fields=["confirm_token_hash"], name="unique_confirm_token"),
            models.UniqueConstraint(
                fields=["email_change_token_hash"], name="unique_email_change_token"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "held",
                        "unconfirmed",
                        "confirmed",
                        "awaiting_approval",
                        "waiting",
                        "cancelled",
                        "expired",
                    ]
                ),
                name="registration_status_known",
            ),
            # Unconfirmed registrations and press awaiting approval have a deadline; nothing
            # else has one.
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=["held", "unconfirmed", "awaiting_approval"],
                        hold_expires_at__isnull=False,
                    )
                    | (
                        ~Q(status__in=["held", "unconfirmed", "awaiting_approval"])
                        & Q(hold_expires_at__isnull=True)
                    )
                ),
                name="registration_deadline_only_while_unconfirmed",
            ),
            models.CheckConstraint(
                condition=~Q(status="awaiting_approval") | Q(accreditation="pending"),
                name="registration_awaiting_approval_is_pending",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | Q(confirmed_at__isnull=False, email_confirmed_at__isnull=False),
                name="registration_confirmed_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting")
                | Q(
                    waitlisted_at__isnull=False,
                    email_confirmed_at__isnull=False,
                    confirmed_at__isnull=True,
                ),
                name="registration_waiting_has_place",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancelled_has_date",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_only_confirmed_check_in",
            ),
            models.CheckConstraint(
                condition=(
                    Q(category="model_municipality") & ~Q(model_municipality="")
                    | (~Q(category="model_municipality") & Q(model_municipality=""))
                ),
                name="registration_model_municipality_matches_category",
            ),
            models.CheckConstraint(
                condition=Q(pending_email="") | Q(email_change_token_hash__isnull=False),
                name="registration_pending_email_has_token",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_event_status"),
            models.Index(fields=["waitlisted_at"], name="registration_waitlisted_at"),
            models.Index(fields=["event", "sort_name", "id"], name="registration_alphabetical"),
            models.Index(
                fields=["event", "client_key"],
                condition=Q(status="held"),
                name="registration_held_by_client",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        # The hashes follow the nonces; the nonce defaults are set on construction.
        if not self.manage_token_hash:
            self.manage_token_hash = hash_token(self.manage_token())
        if not self.confirm_token_hash:
            self.confirm_token_hash = hash_token(self.confirm_token())
        self.sort_name = sort_name(self.last_name, self.first_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "sort_name"]
        super().save(*args, **kwargs)

    # --- names and codes ---------------------------------------------------------------
    @property
    def full_name(self) -> str:
        name = " ".join(p for p in (self.academic_title, self.first_name, self.last_name) if p)
        if not name and self.anonymised_at is not None:
            return gettext("Anmeldung %(number)s (anonymisiert)") % {"number": self.pk}
        return name

    @property
    def entry_code_display(self) -> str:
        """Grouped 4-4 so it can be read out: “7KQM-X3PD”."""
        return f"{self.entry_code[:4]}-{self.entry_code[4:]}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def awaits_email_confirmation(self) -> bool:
        return self.status in (self.Status.HELD, self.Status.UNCONFIRMED)

    def email_still_matches(self, template: str) -> bool:
        """Whether an email of this registration (its template name) still fits its state:
        a "please confirm your address" mail after confirmation does not. The outbox asks
        before resending (an email it does not know about always matches)."""
        Status = self.Status
        fits = {
            "registration/confirm_address": self.status in (Status.HELD, Status.UNCONFIRMED),
            "registration/confirmed": self.status == Status.CONFIRMED,
            "registration/moved_up": self.status == Status.CONFIRMED,
            "registration/waitlisted": self.status == Status.WAITING,
            "registration/cancelled": self.status == Status.CANCELLED,
            "registration/hold_expired": self.status == Status.EXPIRED,
            "registration/confirm_new_address": bool(self.pending_email),
            "registration/your_link": self.is_active,
        }
        return fits.get(template, True) and self.anonymised_at is None

    # --- link secrets -------------------------------------------------------------------
    def manage_token(self) -> str:
        return derive_token(TokenPurpose.MANAGE, self.manage_token_nonce)

    def confirm_token(self) -> str:
        return derive_token(TokenPurpose.CONFIRM, self.confirm_token_nonce)

    def email_change_token(self) -> str:
        return derive_token(TokenPurpose.EMAIL_CHANGE, self.email_change_token_nonce)

    def token_matches(self, purpose: TokenPurpose, token: str) -> bool:
        stored = {
            TokenPurpose.MANAGE: self.manage_token_hash,
            TokenPurpose.CONFIRM: self.confirm_token_hash,
            TokenPurpose.EMAIL_CHANGE: self.email_change_token_hash,
        }[purpose]
        return bool(stored) and constant_time_compare(stored, hash_token(token))

    def rotate_manage_token(self) -> None:
        """Revoke the personal link: every earlier link stops working."""
        self.manage_token_nonce = new_token_nonce()
        self.manage_token_hash = hash_token(self.manage_token())

    def waiting_position(self) -> int | None:
        """1 for the first person on the waiting list (see with_waiting_place); read from
        the annotation when the row was loaded with it."""
        if self.status != self.Status.WAITING:
            return None
        if hasattr(self, "waiting_place"):
            return self.waiting_place
        return (
            Registration.objects.filter(pk=self.pk)
            .with_waiting_place()
            .values_list("waiting_place", flat=True)
            .get()
        )


def hold_duration(*, taken: int = 0, capacity: int = 0) -> datetime.timedelta:
    """How long a new hold lasts: REGISTRATION_HOLD_HOURS, shorter as the event fills
    (REGISTRATION_HOLD_SHRINK: once PERCENT of the seats are taken, at most HOURS)."""
    hours = settings.REGISTRATION_HOLD_HOURS
    if capacity > 0:
        for percent, shorter in settings.REGISTRATION_HOLD_SHRINK:
            if taken * 100 >= percent * capacity:
                hours = min(hours, shorter)
    return datetime.timedelta(hours=hours)


def press_review_duration() -> datetime.timedelta:
    return datetime.timedelta(days=settings.PRESS_REVIEW_DAYS)


class RateLimitCounter(models.Model):
    """Submissions per address or IP in a fixed time window, counted in the database so the
    limit holds across gunicorn workers and hosts. Keys are hashed: no address is kept here."""

    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Zähler für Anfragen")
        verbose_name_plural = _("Zähler für Anfragen")
        constraints = [
            models.UniqueConstraint(
                fields=["key_hash", "window_start"], name="one_counter_per_key_and_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_hash[:8]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class CheckIn(models.Model):
    """One check-in or undo as a door device sent it, kept as the door's record.

    A device makes up `client_id` when the guest is checked in, also offline; sending the
    same check-in again (the connection broke before the answer arrived) finds this row and
    gets the same answer instead of a second check-in."""

    class Action(models.TextChoices):
        CHECK_IN = "check_in", _("Einlass")
        UNDO = "undo", _("Einlass rückgängig gemacht")

    class Outcome(models.TextChoices):
        CHECKED_IN = "checked_in", _("eingelassen")
        # Another device had reported the same guest at a later time: this earlier time wins.
        EARLIER_KEPT = "earlier_kept", _("eingelassen, frühere Zeit übernommen")
        ALREADY_CHECKED_IN = "already_checked_in", _("war bereits eingelassen")
        REFUSED = "refused", _("abgewiesen")
        UNDONE = "undone", _("rückgängig gemacht")
        NOT_CHECKED_IN = "not_checked_in", _("war nicht eingelassen")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="check_ins",
    )
    client_id = models.UUIDField(_("Kennung des Geräts für diesen Einlass"), null=True, blank=True)
    action = models.CharField(_("Vorgang"), max_length=20, choices=Action.choices)
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    at = models.DateTimeField(_("Zeitpunkt laut Gerät"))
    received_at = models.DateTimeField(_("beim Server eingegangen"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einlassvorgang")
        verbose_name_plural = _("Einlassvorgänge")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_id"],
                condition=Q(client_id__isnull=False),
                name="one_check_in_per_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.registration} ({self.get_outcome_display()})"


# Invitation codes: twelve characters of the entry-code alphabet, about 59 bits, so that
# nobody finds a valid code by trying (wrong tries are rate-limited on top).
INVITATION_CODE_LENGTH = 12


def new_invitation_code() -> str:
    return "".join(secrets.choice(ENTRY_CODE_ALPHABET) for _ in range(INVITATION_CODE_LENGTH))


class ContingentQuerySet(models.QuerySet):
    def unreleased(self):
        return self.filter(released_at__isnull=True)

    def due_for_release(self, now: datetime.datetime | None = None):
        return self.unreleased().filter(release_at__lte=now or timezone.now())


class Contingent(models.Model):
    """Seats reserved for a named group (the model municipalities, the host ministry, the
    umbrella associations, the press). The public pool is the capacity less what the
    unreleased contingents reserve; once released, a contingent's unused seats join the
    public pool. The arithmetic lives in registration/pools.py."""

    event = models.ForeignKey(
        "programme.Event",
        verbose_name=_("Veranstaltung"),
        on_delete=models.CASCADE,
        related_name="contingents",
    )
    name = models.CharField(_("Name"), max_length=100)
    seats = models.PositiveIntegerField(_("reservierte Plätze"))
    is_press = models.BooleanField(
        _("Pressekontingent"),
        default=False,
        help_text=_(
            "Anmeldungen aus dem Bereich Presse kommen in dieses Kontingent und warten auf "
            "die Akkreditierung."
        ),
    )
    release_at = models.DateTimeField(
        _("Freigabe am"),
        null=True,
        blank=True,
        help_text=_(
            "Freie Plätze gehen zu diesem Zeitpunkt in den allgemeinen Pool. Leer: erst bei "
            "Freigabe von Hand."
        ),
    )
    released_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True, editable=False)

    objects = ContingentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kontingent")
        verbose_name_plural = _("Kontingente")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="one_contingent_name_per_event"),
            models.UniqueConstraint(
                fields=["event"], condition=Q(is_press=True), name="one_press_contingent_per_event"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class InvitationCode(models.Model):
    """A code that seats its holder in a contingent, for one person or a number of uses."""

    contingent = models.ForeignKey(
        Contingent, verbose_name=_("Kontingent"), on_delete=models.PROTECT, related_name="codes"
    )
    code = models.CharField(
        _("Code"), max_length=INVITATION_CODE_LENGTH, default=new_invitation_code, editable=False
    )
    max_uses = models.PositiveIntegerField(
        _("Anmeldungen mit diesem Code"),
        default=1,
        help_text=_("1 für eine persönliche Einladung."),
    )
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)
    recipient_name = models.CharField(_("Name der eingeladenen Person"), max_length=200, blank=True)
    recipient_email = models.EmailField(_("E-Mail-Adresse der eingeladenen Person"), blank=True)
    language = models.CharField(
        _("Sprache der Einladung"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    invited_at = models.DateTimeField(_("Einladung verschickt am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Einladungscode")
        verbose_name_plural = _("Einladungscodes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="unique_invitation_code"),
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_code_has_a_use"),
        ]

    def __str__(self) -> str:
        return self.code_display

    @property
    def code_display(self) -> str:
        """Grouped 4-4-4 so it can be read and typed: “7KQM-X3PD-9HTW”."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at
