"""The lifecycle diagram in docs/privacy-requests.md is the code's, arrow for arrow."""

import re
from pathlib import Path

from privacy.requests.diagram import lifecycle_edges, mermaid_state_diagram
from privacy.requests.models import RequestStatus
from privacy.requests.services import ANSWERED_STATUSES, TRANSITIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "privacy-requests.md"
ARROW = re.compile(r"^\s*(\w+) --> (\w+) : (\w+)$", re.MULTILINE)


def test_the_documented_diagram_is_the_one_drawn_from_the_transitions():
    assert mermaid_state_diagram() in DOC.read_text(encoding="utf-8")


def test_the_documented_arrows_are_exactly_the_codes_transitions():
    block = DOC.read_text(encoding="utf-8").split("```mermaid", 1)[1].split("```", 1)[0]
    documented = {edge for edge in ARROW.findall(block) if edge[0] != "*"}
    coded = {
        (str(start), str(target), action)
        for action, (starts, target) in TRANSITIONS.items()
        for start in starts
    }
    assert documented == coded == set(lifecycle_edges())


def test_every_open_status_has_a_way_to_an_answer_in_one_step():
    for status in set(RequestStatus.values) - ANSWERED_STATUSES:
        targets = {target for start, target, _action in lifecycle_edges() if start == status}
        assert targets & ANSWERED_STATUSES, status
