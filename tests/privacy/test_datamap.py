"""The data map accounts for every field of our apps."""

import pytest
from django.db import models

from privacy.datamap.registry import (
    Category,
    DataMapError,
    PersonalField,
    Purpose,
    declaration_for,
    declare,
    undeclared_fields,
)

OUR_APPS = ("members", "coverage", "privacy")


def test_every_field_of_our_apps_is_declared_personal_or_not():
    assert undeclared_fields(OUR_APPS) == []


def test_completeness_check_catches_an_undeclared_field():
    class Undeclared(models.Model):  # noqa: DJ008
        nickname = models.CharField(max_length=20)

        class Meta:
            app_label = "privacy"

    try:
        assert "privacy.Undeclared.nickname" in undeclared_fields(["privacy"])
        declare(Undeclared, subject=None, personal=[], not_personal=["id"])
        assert "privacy.Undeclared.nickname" in undeclared_fields(["privacy"])
        assert "privacy.Undeclared.id" not in undeclared_fields(["privacy"])
    finally:
        from django.apps import apps

        from privacy.datamap import registry as datamap

        datamap._registry.pop("privacy.Undeclared", None)
        del apps.all_models["privacy"]["undeclared"]
        apps.clear_cache()


def test_a_field_cannot_be_declared_personal_and_not_personal():
    from members.models import User

    with pytest.raises(DataMapError, match="personal and not"):
        declare(
            User,
            subject="",
            personal=[PersonalField("email", Category.CONTACT, (Purpose.SECURITY,))],
            not_personal=["email"],
        )


def test_unknown_field_names_are_refused():
    from members.models import User

    with pytest.raises(DataMapError, match="no such fields"):
        declare(User, subject="", personal=[], not_personal=["nickname"])


def test_clear_text_personal_values_are_documented_exceptions():
    for label in ("members.User",):
        declaration = declaration_for(label)
        email = declaration.personal_field("email")
        assert email.clear_text_reason


def test_every_declared_model_accounts_for_all_its_fields():
    from privacy.datamap.registry import declarations

    for declaration in declarations():
        known = set(declaration.personal_names) | set(declaration.not_personal)
        fields = {f.name for f in declaration.model._meta.concrete_fields}
        assert fields - known == set(), declaration.label
