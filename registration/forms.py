"""Forms of the public registration pages. They own validation; services own the rules."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from registration.documents import DocumentRejected, check_press_document
from registration.models import Registration, normalise_entry_code
from registration.services import DETAIL_FIELDS

# Fields on one line must not hold markup or line breaks; names in any script are fine.
FORBIDDEN_IN_LINE = set("<>")


# Characters that look like nothing but are letters or symbols to Unicode, so a "name"
# made of them passes a test for letters: Hangul fillers, the blank Braille pattern, the
# object replacement character, Khmer inherent vowels.
BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\ufffc\u17b4\u17b5")
# Control, format, surrogate, private-use and unassigned characters, and the line and
# paragraph separators (U+2028, U+2029), which break a line where no line may break.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _has_control_characters(value: str, *, allow_newlines: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(
        (unicodedata.category(ch) in INVISIBLE_CATEGORIES or ch in BLANK_LOOKALIKES)
        and ch not in allowed
        for ch in value
    )


def has_readable_characters(value: str) -> bool:
    """At least one letter or digit a reader can see."""
    return any(ch.isalnum() and ch not in BLANK_LOOKALIKES for ch in value)


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Normalise (NFC, trimmed) and reject what no person types: control characters,
    and angle brackets in one-line fields."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if value and not has_readable_characters(value) and not multiline:
        raise ValidationError(
            _("Bitte geben Sie hier lesbare Schriftzeichen ein."), code="not_readable"
        )
    if _has_control_characters(value, allow_newlines=multiline):
        raise ValidationError(
            _("Bitte entfernen Sie unsichtbare Steuerzeichen aus diesem Feld."),
            code="control_characters",
        )
    if not multiline and FORBIDDEN_IN_LINE & set(value):
        raise ValidationError(
            _("Bitte verwenden Sie in diesem Feld keine spitzen Klammern (< >)."),
            code="angle_brackets",
        )
    return value


class DetailsForm(forms.ModelForm):
    """The details a person can give at sign-up and change later."""

    AUTOCOMPLETE = {
        "salutation": "honorific-prefix",
        "academic_title": "honorific-prefix",
        "first_name": "given-name",
        "last_name": "family-name",
        "email": "email",
        "organisation": "organization",
        "position": "organization-title",
    }

    class Meta:
        model = Registration
        fields = list(DETAIL_FIELDS)
        labels = {
            "salutation": _("Anrede (freiwillig)"),
            "academic_title": _("Akademischer Titel (freiwillig)"),
            "position": _("Funktion (freiwillig)"),
            "category": _("Ich komme aus dem Bereich"),
            "model_municipality": _("Welche Modellkommune?"),
            "accessibility_needs": _("Brauchen Sie etwas, um gut teilnehmen zu können?"),
            "participant_list_consent": _(
                "Mein Name und meine Organisation dürfen auf der Teilnehmendenliste stehen, "
                "die an die Gäste der Veranstaltung verteilt wird."
            ),
        }
        help_texts = {
            "academic_title": _("Zum Beispiel: Dr. oder Prof. Dr."),
            "model_municipality": _("Nur wenn Sie für eine der acht Modellkommunen kommen."),
            "accessibility_needs": _(
                "Freiwillig. Zum Beispiel: Gebärdensprachdolmetschung, Platz für einen "
                "Rollstuhl, Induktionsschleife. Nur das Organisationsteam sieht diese Angabe."
            ),
            "participant_list_consent": _("Freiwillig. Sie können das jederzeit ändern."),
        }
        widgets = {
            "salutation": forms.Select,
            "category": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Registration.Category.choices
        self.fields["model_municipality"].choices = [
            ("", _("– bitte wählen –")),
            *Registration.ModelMunicipality.choices[1:],
        ]
        self.fields["salutation"].choices = Registration.Salutation.choices
        for name, token in self.AUTOCOMPLETE.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token
        for name in ("first_name", "last_name", "organisation", "position", "academic_title"):
            self.fields[name].widget.attrs.setdefault("spellcheck", "false")

    def clean(self):
        cleaned = super().clean()
        for name in ("academic_title", "first_name", "last_name", "organisation", "position"):
            if name in cleaned:
                try:
                    cleaned[name] = clean_text(cleaned[name])
                except ValidationError as error:
                    self.add_error(name, error)
                else:
                    if name in {"first_name", "last_name", "organisation"} and not cleaned[name]:
                        self.add_error(
                            name,
                            ValidationError(
                                self.fields[name].error_messages["required"], code="required"
                            ),
                        )
        if "accessibility_needs" in cleaned:
            try:
                cleaned["accessibility_needs"] = clean_text(
                    cleaned["accessibility_needs"], multiline=True
                )
            except ValidationError as error:
                self.add_error("accessibility_needs", error)
        category = cleaned.get("category")
        if category == Registration.Category.MODEL_MUNICIPALITY:
            if not cleaned.get("model_municipality"):
                self.add_error(
                    "model_municipality",
                    ValidationError(
                        _("Bitte wählen Sie Ihre Modellkommune."), code="model_municipality"
                    ),
                )
        else:
            cleaned["model_municipality"] = ""
        return cleaned

    def _post_clean(self):
        # Model validation of constraints runs on the service's data instead; the model's
        # full_clean would want fields (status, consent) this form does not carry.
        pass


class RegistrationForm(DetailsForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("An diese Adresse schicken wir den Bestätigungslink."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    privacy_consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Bitte stimmen Sie den Datenschutzhinweisen zu. Ohne diese Zustimmung "
                "können wir Ihre Anmeldung nicht bearbeiten."
            )
        },
    )
    invitation_code = forms.CharField(
        label=_("Einladungscode (freiwillig)"),
        required=False,
        max_length=40,
        help_text=_(
            "Nur wenn Sie eine persönliche Einladung mit Code bekommen haben. Mit dem Code "
            "ist Ihnen ein Platz aus einem reservierten Kontingent sicher."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    media_outlet = forms.CharField(
        label=_("Medium (nur für die Presse)"),
        required=False,
        max_length=200,
        help_text=_("Für welche Zeitung, welchen Sender oder welches Online-Medium berichten Sie?"),
    )
    press_document = forms.FileField(
        label=_("Presseausweis oder Auftragsbestätigung (nur für die Presse, freiwillig)"),
        required=False,
        help_text=_(
            "PDF, JPEG oder PNG, höchstens 10 MB. Nur das Organisationsteam sieht die Datei; "
            "sie wird nach der Prüfung Ihrer Akkreditierung mit Ihrer Anmeldung gelöscht."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    # Honeypot: hidden from people (and from screen readers); bots fill in every field.
    website = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = [
        "salutation",
        "academic_title",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "position",
        "category",
        "model_municipality",
        "media_outlet",
        "press_document",
        "invitation_code",
        "accessibility_needs",
        "privacy_consent",
        "participant_list_consent",
        "website",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_consent"].label = format_html(
            _(
                'Ich habe die <a href="{url}">Datenschutzhinweise</a> gelesen und bin '
                "einverstanden, dass meine Angaben für diese Veranstaltung verarbeitet werden."
            ),
            url=reverse("privacy"),
        )

    def clean_email(self):
        email = clean_text(self.cleaned_data["email"])
        local, _sep, domain = email.rpartition("@")
        # The domain is case-insensitive; the local part is kept as typed.
        return f"{local}@{domain.lower()}"

    def clean_invitation_code(self):
        # Whether the code is valid is decided under the seat lock (services.py).
        return normalise_entry_code(self.cleaned_data["invitation_code"])

    def clean_press_document(self):
        document = self.cleaned_data.get("press_document")
        if not document:
            return None
        try:
            check_press_document(document)
        except DocumentRejected as error:
            raise ValidationError(error.message, code=error.code) from error
        return document

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") == Registration.Category.PRESS:
            try:
                cleaned["media_outlet"] = clean_text(cleaned.get("media_outlet", ""))
            except ValidationError as error:
                self.add_error("media_outlet", error)
            else:
                if not cleaned["media_outlet"]:
                    self.add_error(
                        "media_outlet",
                        ValidationError(
                            _("Bitte nennen Sie das Medium, für das Sie berichten."),
                            code="media_outlet",
                        ),
                    )
        else:
            # Only the press gives these; anything typed or attached by others is dropped.
            cleaned["media_outlet"] = ""
            cleaned["press_document"] = None
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("Neue E-Mail-Adresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_new_email(self):
        return clean_text(self.cleaned_data["new_email"])


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse Ihrer Anmeldung"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self):
        return clean_text(self.cleaned_data["email"])


class WalkInForm(DetailsForm):
    """A person registered at the door by staff: the details of the online form."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("An diese Adresse geht die Bestätigung mit dem Einlasscode."),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "Die Person hat die Datenschutzhinweise erhalten und ist einverstanden, dass "
            "ihre Angaben für diese Veranstaltung verarbeitet werden."
        ),
        required=True,
        error_messages={
            "required": _(
                "Ohne Einverständnis mit den Datenschutzhinweisen kann die Person nicht "
                "angemeldet werden."
            )
        },
    )

    field_order = RegistrationForm.field_order[:-1]

    clean_email = RegistrationForm.clean_email
