from outbox.checks import check_email_settings


def test_default_settings_pass_the_checks():
    assert check_email_settings() == []


def test_delivering_into_the_outbox_is_an_error(settings):
    settings.EMAIL_DELIVERY_BACKEND = "outbox.backends.OutboxBackend"

    assert [problem.id for problem in check_email_settings()] == ["mail.E001"]


def test_a_lease_shorter_than_two_timeouts_is_a_warning(settings):
    settings.EMAIL_TIMEOUT = 30
    settings.EMAIL_LEASE_SECONDS = 45

    assert [problem.id for problem in check_email_settings()] == ["mail.W001"]
