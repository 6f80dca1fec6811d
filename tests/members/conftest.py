import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request in English earlier must not leak into reverse()."""
    with translation.override("fr"):
        yield
