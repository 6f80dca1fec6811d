from privacy.datamap.api import Category, PersonalField, Purpose, declare

from .models import CaseFile

declare(
    CaseFile,
    subject="owner",
    personal=[
        PersonalField("student_number", Category.IDENTITY, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
        PersonalField("date_of_birth", Category.IDENTITY, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
    ],
    not_personal=["id", "owner", "status"],
)
