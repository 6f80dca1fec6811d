"""The request lifecycle as a Mermaid state diagram, drawn from ``lifecycle.TRANSITIONS``.

docs/privacy-requests.md carries the diagram this returns; a test fails when
the two differ, so the documentation cannot drift from the code. Print it with
``python -m privacy.requests.diagram`` (needs Django settings).
"""

from __future__ import annotations

from privacy.requests.lifecycle import ANSWERED_STATUSES, TRANSITIONS
from privacy.requests.models import RequestStatus

BEGIN = "```mermaid"
END = "```"


def lifecycle_edges() -> list[tuple[str, str, str]]:
    """(from status, to status, action) for every transition, in a stable order."""
    order = {status: i for i, status in enumerate(RequestStatus.values)}
    edges = [
        (str(start), str(target), action)
        for action, (starts, target) in TRANSITIONS.items()
        for start in starts
    ]
    return sorted(edges, key=lambda e: (order[e[0]], order[e[1]], e[2]))


def mermaid_state_diagram() -> str:
    lines = [BEGIN, "stateDiagram-v2", f"    [*] --> {RequestStatus.SUBMITTED} : submit"]
    lines += [f"    {start} --> {target} : {action}" for start, target, action in lifecycle_edges()]
    lines.append(f"    {RequestStatus.CLOSED} --> [*]")
    for status in RequestStatus.values:
        answered = " (answered)" if status in ANSWERED_STATUSES else ""
        lines.append(f"    {status} : {status}{answered}")
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    import django

    django.setup()
    print(mermaid_state_diagram())
