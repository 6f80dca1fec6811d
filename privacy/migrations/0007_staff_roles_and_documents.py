"""The three staff roles as groups (their permissions are set by roles_sync
after every migrate), the audit chain head, and the first version of the
confidentiality agreement and of the staff procedures."""

from django.db import migrations
from django.utils import timezone

ROLES = ("member_services", "privacy_officer", "operator")

AGREEMENT_FR = """Entente de confidentialité du personnel

En tant que membre du personnel ayant accès au portail des membres, je m’engage à :

1. N’accéder aux renseignements personnels des membres et des personnes à leur charge que lorsque ma tâche l’exige, et seulement à ceux dont elle a besoin.

2. Ne communiquer aucun renseignement personnel à qui que ce soit, sauf aux personnes autorisées et dans les cas prévus par la politique de confidentialité et par la loi.

3. Ne jamais copier de renseignements personnels hors des systèmes prévus (courriel personnel, notes, captures d’écran, appareils non autorisés).

4. Protéger mes moyens d’accès : mot de passe, authentification à deux facteurs et session; ne jamais les partager.

5. Signaler sans délai à la personne responsable de la protection des renseignements personnels tout incident de confidentialité, réel ou soupçonné.

Je sais que chacune de mes consultations est inscrite au journal d’audit et que les membres voient, par rôle, qui a consulté leur dossier. Cet engagement demeure après la fin de mon emploi."""

AGREEMENT_EN = """Staff confidentiality agreement

As a staff member with access to the member portal, I undertake to:

1. Access the personal information of members and their dependants only when my task requires it, and only the information it needs.

2. Disclose no personal information to anyone, except to authorised persons and in the cases provided for by the privacy policy and by law.

3. Never copy personal information outside the systems provided (personal email, notes, screenshots, unauthorised devices).

4. Protect my means of access: password, two-factor authentication and session; never share them.

5. Report without delay to the person in charge of the protection of personal information any confidentiality incident, actual or suspected.

I know that each of my views is recorded in the audit log and that members see, by role, who viewed their file. This undertaking survives the end of my employment."""

PROCEDURES_FR = """Politiques et procédures de protection des renseignements personnels

1. Rôles : chaque membre du personnel n’a que les accès de son rôle (service aux membres, responsable de la protection des renseignements personnels, exploitation). Une demande d’accès supplémentaire passe par la personne responsable.

2. Consultations : les valeurs sensibles sont masquées dans les listes; ne les révélez que si votre tâche l’exige. Chaque consultation est journalisée et visible par la personne concernée.

3. Demandes d’accès, de rectification et de suppression : elles sont traitées par la personne responsable dans un délai de 30 jours.

4. Communications : aucun renseignement n’est communiqué à un sous-traitant ou à un tiers sans contrat au dossier; chaque communication est inscrite au registre.

5. Incidents de confidentialité : signalez immédiatement tout incident; il est inscrit au registre des incidents et, en cas de risque de préjudice sérieux, la Commission d’accès à l’information et les personnes concernées sont avisées.

6. Conservation : les renseignements sont détruits à la fin de leur durée de conservation par la purge automatisée; n’en conservez aucune copie."""

PROCEDURES_EN = """Personal information protection policies and procedures

1. Roles: each staff member has only the access of their role (member services, person in charge of the protection of personal information, operations). A request for further access goes through the person in charge.

2. Viewing: sensitive values are masked in lists; reveal them only when your task requires it. Each view is logged and visible to the person concerned.

3. Access, correction and deletion requests: the person in charge handles them within 30 days.

4. Disclosures: no information is disclosed to a processor or third party without a contract on file; each disclosure is entered in the register.

5. Confidentiality incidents: report any incident immediately; it is entered in the incident register and, where there is a risk of serious injury, the Commission d’accès à l’information and the persons concerned are notified.

6. Retention: information is destroyed at the end of its retention period by the automated purge; keep no copy of it."""


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    AuditChainHead = apps.get_model("privacy", "AuditChainHead")
    StaffDocument = apps.get_model("privacy", "StaffDocument")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    AuditChainHead.objects.get_or_create(pk=1)
    now = timezone.now()
    for kind, text_fr, text_en in (
        ("agreement", AGREEMENT_FR, AGREEMENT_EN),
        ("procedures", PROCEDURES_FR, PROCEDURES_EN),
    ):
        if not StaffDocument.objects.filter(kind=kind).exists():
            StaffDocument.objects.create(
                kind=kind, version=1, text_fr=text_fr, text_en=text_en, effective_at=now
            )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("privacy", "0006_staff_documents"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
