import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _german_unless_a_test_says_otherwise():
    # A request to /en/ leaves English active in the thread; tests here expect German.
    with translation.override("de"):
        yield
