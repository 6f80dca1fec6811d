"""The insurer's feed: documented samples import, twice with no change; bad lines are named."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from coverage.feed import coverage_import
from coverage.models import Benefit, Claim, ClaimStatus, Enrolment, Plan
from members.models import Dependant, Member

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
ORDER = ("plans", "benefits", "members", "enrolments", "claims")


def run(text: str | bytes, **options):
    data = text.encode() if isinstance(text, str) else text
    return coverage_import(stream=io.BytesIO(data), **options)


def import_samples(**options):
    return {kind: run((SAMPLES / f"{kind}.csv").read_bytes(), **options) for kind in ORDER}


def test_documented_samples_import_and_second_run_changes_nothing():
    first = import_samples()
    assert all(report.applied for report in first.values())
    assert first["claims"].created == 5
    assert Plan.objects.count() == 1
    assert Benefit.objects.count() == 4
    assert Member.objects.count() == 2
    assert Dependant.objects.count() == 1
    assert Enrolment.objects.count() == 5
    paid = Claim.objects.get(reference="C2025-000001")
    assert paid.amount_paid_cents == 4000
    assert paid.member.member_number == "DEMO-100001"
    assert Claim.objects.get(reference="C2025-000003").dependant.suffix == 1
    assert Claim.objects.get(reference="C2025-000004").refusal_reason.startswith("Reçu sans")

    second = import_samples()
    for kind, report in second.items():
        assert (report.created, report.updated) == (0, 0), kind
        assert report.unchanged == first[kind].created, kind


def test_changed_line_is_updated_and_counted():
    import_samples()
    claims = (
        (SAMPLES / "claims.csv")
        .read_text()
        .replace(
            "C2025-000005,DEMO-100002-00,psychologist,2025-11-24,120.00,,received,2025-11-25,,,",
            "C2025-000005,DEMO-100002-00,psychologist,2025-11-24,120.00,40.00,paid,2025-11-25,"
            "2025-11-26,2025-12-01,",
        )
    )
    report = run(claims)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    claim = Claim.objects.get(reference="C2025-000005")
    assert claim.status == ClaimStatus.PAID
    assert claim.amount_paid_cents == 4000


def test_utf8_with_byte_order_mark_is_read():
    import_samples()
    report = run(b"\xef\xbb\xbf" + (SAMPLES / "claims.csv").read_bytes())
    assert report.ok
    assert report.kind == "claims"
    assert report.unchanged == 5


def test_bad_lines_are_reported_by_line_number_and_nothing_is_imported():
    for kind in ORDER[:-1]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "claims.csv").read_text().splitlines()
    lines[2] = lines[2].replace("2025-10-20", "2025-13-40")  # line 3: impossible date
    lines[4] = lines[4].replace("DEMO-100002-00", "DEMO-999999-00")  # line 5: unknown person
    report = run("\n".join(lines) + "\n")
    assert not report.applied
    assert [line for line, _message in report.errors] == [3, 5]
    # The column by number and header, never the value: the report ends up in logs.
    assert report.errors[0][1].startswith("colonne 4 (service_date) :")
    assert "2025-13-40" not in report.errors[0][1]
    assert report.errors[1][1].startswith("colonne 2 (card_number) :")
    assert "DEMO-999999-00" not in report.errors[1][1]
    assert Claim.objects.count() == 0


def test_skip_invalid_imports_the_valid_lines_only():
    for kind in ORDER[:-1]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "claims.csv").read_text().splitlines()
    lines[2] = lines[2].replace("dental-checkup", "acupuncture")
    report = run("\n".join(lines) + "\n", skip_invalid=True)
    assert report.applied
    assert (report.created, report.invalid) == (4, 1)
    assert report.errors[0][0] == 3
    assert not Claim.objects.filter(reference="C2025-000002").exists()


def test_errors_found_after_the_first_chunk_still_block_the_whole_file():
    for kind in ORDER[:-1]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "claims.csv").read_text().splitlines()
    lines[5] = lines[5].replace("120.00", "douze")
    report = run("\n".join(lines) + "\n", chunk_size=2)
    assert [line for line, _message in report.errors] == [6]
    assert Claim.objects.count() == 0


def test_dry_run_validates_and_counts_but_changes_nothing():
    reports = import_samples(dry_run=True)
    assert reports["plans"].created == 1
    assert not reports["plans"].applied
    assert Plan.objects.count() == 0


def test_file_that_is_not_utf8_is_refused_in_plain_words():
    report = run((SAMPLES / "members.csv").read_text().encode("latin-1"))
    assert "UTF-8" in report.file_error
    assert not report.applied


def test_unknown_header_is_refused():
    report = run("nom,prenom\nA,B\n")
    assert "Ligne 1" in report.file_error


def test_command_reports_counts_and_line_errors(tmp_path, capsys):
    for kind in ORDER[:-1]:
        call_command("import_coverage", str(SAMPLES / f"{kind}.csv"), verbosity=0)
    call_command(
        "import_coverage", str(SAMPLES / "claims.csv"), "--dry-run", "--language=en", verbosity=0
    )
    assert "5 to create" in capsys.readouterr().out
    assert Claim.objects.count() == 0
    bad = tmp_path / "claims.csv"
    bad.write_text((SAMPLES / "claims.csv").read_text().replace("85.00,40.00", "85.00,95.00"))
    with pytest.raises(CommandError, match="Nothing was imported: invalid lines: 1") as refused:
        call_command("import_coverage", str(bad), "--language=en", verbosity=0)
    assert " created" not in str(refused.value)  # nothing was: counted as "to create"
    assert "Line 2, column 6 (amount_paid):" in capsys.readouterr().err


def test_a_conflicting_duplicate_line_is_reported_in_plain_words_not_a_traceback(tmp_path, capsys):
    run((SAMPLES / "plans.csv").read_bytes())
    lines = (SAMPLES / "members.csv").read_text().splitlines()
    # The same card number again, with another last name: the insurer's export repeated a row.
    lines.append(lines[1].replace("Bouchard", "Boucher"))
    path = tmp_path / "members.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_coverage", str(path), "--language=en", verbosity=0)
    err = capsys.readouterr().err
    last = len(lines)
    assert f"Line {last}, column 1 (card_number):" in err
    assert "line 2" in err  # where the same person first appears
    assert "Traceback" not in err and "UniqueViolation" not in err and "IntegrityError" not in err
    assert "Nothing was imported" in str(refused.value)
    assert not Member.objects.exists()


def test_enrolments_named_twice_are_reported_not_written_twice():
    for kind in ORDER[:3]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "enrolments.csv").read_text().splitlines()
    lines.append(lines[1].replace(",covered", ",opted_out"))
    report = run("\n".join(lines) + "\n")
    assert not report.applied
    assert [line for line, _message in report.errors] == [len(lines)]
    assert "ligne 2" in report.errors[0][1]


def test_no_personal_value_is_ever_printed_or_logged(tmp_path, capsys, caplog):
    run((SAMPLES / "plans.csv").read_bytes())
    lines = (SAMPLES / "members.csv").read_text().splitlines()
    header = lines[0].split(",")
    values = lines[1].split(",")
    values[header.index("date_of_birth")] = "2004-13-45"
    values[header.index("card_number")] = "DEMO-1X0001-00"
    bad = tmp_path / "members.csv"
    bad.write_text("\n".join([lines[0], ",".join(values), *lines[2:]]) + "\n")
    with caplog.at_level("DEBUG"), pytest.raises(CommandError) as refused:
        call_command("import_coverage", str(bad), verbosity=1)
    out = capsys.readouterr()
    everything = out.out + out.err + str(refused.value) + caplog.text
    for personal in ("2004-13-45", "DEMO-1X0001-00", "Léa", "Bouchard", "2231001"):
        assert personal not in everything
    assert "Ligne 2, colonne 1 (card_number) :" in out.err
    assert "colonne 6 (date_of_birth) : la valeur n’est pas une date valide" in out.err
    # Counted truthfully: nothing was created, and the refusal says so.
    assert "créées" not in str(refused.value) and "à créer" in str(refused.value)


@pytest.mark.parametrize(
    "hostile", ["Tremblay\u202eyalp", "Trem\u200bblay", "\ufeffTremblay", "Tremblay\x07"]
)
def test_a_name_with_an_invisible_character_is_refused_without_echoing_it(hostile):
    for kind in ORDER[:2]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "members.csv").read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("last_name")] = hostile
    lines[1] = ",".join(cells)
    report = run("\n".join(lines) + "\n")
    assert not report.applied
    ((_line, message),) = [error for error in report.errors if error[0] == 2]
    assert "(last_name) : la valeur contient un caractère invisible ou de contrôle" in message
    assert hostile not in message
    assert Member.objects.count() == 0


def test_a_name_is_kept_in_its_nfc_form():
    for kind in ORDER[:2]:
        run((SAMPLES / f"{kind}.csv").read_bytes())
    lines = (SAMPLES / "members.csv").read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("first_name")] = "Le\u0301a"  # e + combining acute accent
    lines[1] = ",".join(cells)
    assert run("\n".join(lines) + "\n").applied
    assert any(m.first_name == "L\u00e9a" for m in Member.objects.all())
