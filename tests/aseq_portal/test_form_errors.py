"""Account forms announce their errors: a summary linked to each field, in the page's language."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "message"),
    [
        ("fr", "Le formulaire contient des erreurs", "Saisissez une adresse de courriel valide."),
        ("en", "The form has errors", "Enter a valid email address."),
    ],
)
def test_sign_up_errors_open_with_a_summary_linking_each_field(client, language, title, message):
    response = client.post(
        f"/{language}/{'compte' if language == 'fr' else 'account'}/signup/",
        {"email": "not-an-address", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    summary = re.search(
        r'<div class="error-summary" data-error-summary role="alert".*?</div>', html, re.S
    )
    assert summary, "no error summary"
    assert title in summary.group(0)
    assert message in summary.group(0)
    assert 'href="#id_email"' in summary.group(0)
    assert 'href="#id_password1"' in summary.group(0)
    # The invalid fields say so, and point at their message.
    email_input = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email_input
    assert 'aria-describedby="id_email_error"' in email_input


def test_sign_in_failure_is_in_the_summary(client, member):
    response = client.post("/fr/compte/login/", {"login": member.email, "password": "wrong-one"})
    html = response.content.decode()
    assert "data-error-summary" in html
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in html


def test_a_valid_page_has_no_error_summary(client):
    assert "data-error-summary" not in client.get("/fr/compte/signup/").content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_whose_forms_carry_no_form_object_still_render(client, language):
    """The email confirmation page passes no form to its form element (a 500 once)."""
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from tests.factories import UserFactory

    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    prefix = "compte" if language == "fr" else "account"
    response = client.get(f"/{language}/{prefix}/confirm-email/{key}/")
    assert response.status_code == 200
    assert "data-error-summary" not in response.content.decode()
