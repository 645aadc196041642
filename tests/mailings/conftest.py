from tests.registration.conftest import confirmed_registration, queued, register  # noqa: F401
