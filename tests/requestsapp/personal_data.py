from datetime import timedelta

from privacy.datamap.api import Category, PersonalField, Purpose, Retention, declare

from .models import Holder, Kin, Trace, Visit

ID = (Purpose.IDENTIFY_AND_COMMUNICATE,)

declare(
    Holder,
    subject="user",
    personal=[
        PersonalField("full_name", Category.IDENTITY, ID),
        PersonalField("birth_date", Category.IDENTITY, ID),
        PersonalField("student_number", Category.IDENTITY, ID),
        PersonalField("phone", Category.CONTACT, ID),
        PersonalField("city", Category.LOCATION, ID, clear_text_reason="test"),
    ],
    not_personal=["id", "user", "student_number_index"],
)
declare(
    Kin,
    subject="holder__user",
    personal=[
        PersonalField("first_name", Category.IDENTITY, ID),
        PersonalField("birth_date", Category.IDENTITY, ID),
    ],
    not_personal=["id", "holder"],
)
declare(
    Visit,
    subject="holder__user",
    personal=[
        PersonalField("service_on", Category.HEALTH, (Purpose.LEGAL,)),
        PersonalField("amount", Category.HEALTH, (Purpose.LEGAL,)),
        PersonalField("description", Category.HEALTH, (Purpose.LEGAL,)),
    ],
    not_personal=["id", "holder"],
    retention=Retention(
        starts_from="service_on",
        keep_for=timedelta(days=6 * 365),
        reason="Obligation légale de l’assureur : six ans.",
    ),
)
declare(
    Trace,
    subject="user",
    personal=[
        PersonalField("happened_at", Category.ACTIVITY, (Purpose.SECURITY,)),
        PersonalField("what", Category.ACTIVITY, (Purpose.SECURITY,)),
    ],
    not_personal=["id", "user"],
    retention=Retention(starts_from="happened_at", keep_for=timedelta(days=90)),
)
