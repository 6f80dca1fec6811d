"""The layout's cached parts (navigation, footer) follow who is reading, in which language."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CONTACT_FR, CONTACT_EN = "/fr/contact/", "/en/contact/"


def nav_and_footer(client, path):
    response = client.get(path, HTTP_HOST="mobile.aseq.ca")
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index('<header class="site-header"') : html.index("</header>")]
    footer = html[html.index("<footer") :]
    return nav, footer


def test_navigation_follows_the_reader_whoever_came_first(member, staff):
    anonymous, signed_in, staff_client = Client(), Client(), Client()
    signed_in.force_login(member)
    staff_client.force_login(staff)
    nav, _ = nav_and_footer(anonymous, CONTACT_FR)
    assert "Se connecter" in nav and "Se déconnecter" not in nav
    nav, _ = nav_and_footer(signed_in, CONTACT_FR)
    assert "Ma couverture" in nav and "Se déconnecter" in nav and "Administration" not in nav
    nav, _ = nav_and_footer(staff_client, CONTACT_FR)
    assert "Administration" in nav and "Ma couverture" not in nav
    nav, footer = nav_and_footer(signed_in, CONTACT_EN)
    assert "My coverage" in nav and "Sign out" in nav
    assert "Privacy policy" in footer


def test_the_sign_out_form_carries_each_readers_own_token(member, other_member):
    tokens = []
    for user in (member, other_member):
        client = Client()
        client.force_login(user)
        nav, _ = nav_and_footer(client, CONTACT_FR)
        (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', nav)
        tokens.append(token)
        assert client.post("/fr/compte/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert tokens[0] != tokens[1]


def test_the_footer_names_the_brand_of_the_host(client):
    _, aseq = nav_and_footer(client, CONTACT_FR)
    response = client.get(CONTACT_EN, HTTP_HOST="mobile.studentcare.ca")
    assert "ASEQ" in aseq
    footer = response.content.decode().split("<footer", 1)[1]
    assert "Studentcare" in footer and "ASEQ" not in footer


def test_layout_links_follow_the_language_and_stay_without_context_processors(member):
    """base.html's stylesheet, script, home and sign-out links, resolved once per language
    (aseq_portal.context_processors), are those of the page's language; a page rendered
    without the context processors (Django's 400 view) still links its stylesheet."""
    from django.template.loader import get_template
    from django.templatetags.static import static

    client = Client()
    client.force_login(member)
    for path, home, logout in [
        (CONTACT_FR, "/fr/", "/fr/compte/logout/"),
        (CONTACT_EN, "/en/", "/en/account/logout/"),
    ]:
        html = client.get(path, HTTP_HOST="mobile.aseq.ca").content.decode()
        assert f'<a class="brand" href="{home}">' in html
        assert f'action="{logout}"' in html
        assert f'href="{static("css/portal.css")}"' in html
        assert f'src="{static("js/portal.js")}"' in html
    bare = get_template("400.html").render()
    assert f'href="{static("css/portal.css")}"' in bare
    assert re.search(r'<a class="brand" href="/\w\w/">', bare)
