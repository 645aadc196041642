from django.urls import path
from django.utils.translation import pgettext_lazy

from feedback import views

app_name = "feedback"

urlpatterns = [
    path(pgettext_lazy("URL", "rueckmeldung/<str:token>/"), views.feedback_form, name="form"),
]
