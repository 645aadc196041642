"""Public registration pages (sign-up, confirmation, self-service)."""

app_name = "registration"

urlpatterns: list = []
