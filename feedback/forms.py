from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback.services import MAX_COMMENT_LENGTH, QUESTIONS, SCALE

SCALE_LABELS = {
    1: _("1 – gar nicht zufrieden"),
    2: _("2 – eher nicht zufrieden"),
    3: _("3 – teils, teils"),
    4: _("4 – eher zufrieden"),
    5: _("5 – sehr zufrieden"),
}


class FeedbackForm(forms.Form):
    """A few ratings and a free text; every question may be left out, not all of them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=question,
                choices=[(value, SCALE_LABELS[value]) for value in SCALE],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Was hat Ihnen gefallen, was sollen wir besser machen?"),
            help_text=_(
                "Freiwillig. Bitte nennen Sie keine Namen und nichts, woran man Sie oder "
                "andere erkennen kann: Die Antworten sind anonym."
            ),
            required=False,
            max_length=MAX_COMMENT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
        )

    def clean(self):
        data = super().clean()
        ratings = [data.get(name) for name, _question in QUESTIONS]
        if all(rating is None for rating in ratings) and not data.get("comment", "").strip():
            raise ValidationError(
                _(
                    "Bitte beantworten Sie mindestens eine Frage oder schreiben Sie uns ein "
                    "paar Worte."
                ),
                code="empty",
            )
        return data

    @property
    def ratings(self) -> dict:
        return {name: self.cleaned_data.get(name) for name, _question in QUESTIONS}
