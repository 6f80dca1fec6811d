# TEMPORARY (uncommitted) until issue-5-members lands with its own factories.
import datetime

import factory
from factory.django import DjangoModelFactory

from members.models import Association, Dependant, Member


class AssociationFactory(DjangoModelFactory):
    class Meta:
        model = Association
        django_get_or_create = ("slug",)

    name_fr = factory.Sequence(lambda n: f"Association étudiante {n}")
    name_en = factory.Sequence(lambda n: f"Student association {n}")
    slug = factory.Sequence(lambda n: f"assoc-{n}")
    short_code = factory.Sequence(lambda n: f"AE{n}")


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    member_number = factory.Sequence(lambda n: f"ASEQ-{100000 + n}")
    student_number = factory.Sequence(lambda n: f"{20000000 + n}")
    first_name = "Camille"
    last_name = "Tremblay"
    date_of_birth = datetime.date(2003, 4, 5)


class DependantFactory(DjangoModelFactory):
    class Meta:
        model = Dependant

    member = factory.SubFactory(MemberFactory)
    relationship = "spouse"
    suffix = 1
    first_name = "Alex"
    last_name = "Gagnon"
    date_of_birth = datetime.date(2002, 1, 2)
