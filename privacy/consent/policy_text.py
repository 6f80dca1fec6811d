"""The light markup of policy texts, and the seed text of the privacy policy.

Policies are written in a light markup (``#`` headings, ``-`` bullets, ``1.``
ordered items, blank-line separated blocks) so templates render them as
semantic HTML without trusting any markup. Published versions live in the
database (``privacy.models.PolicyVersion``); ``policy_texts/<language>.txt``
is the text of version 1, seeded by a migration, and ``policy_text`` is only
the fallback when no version is published.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import translation

TEXTS_DIR = Path(__file__).resolve().parents[1] / "policy_texts"


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, h3, p, ul, ol
    text: str = ""
    items: tuple[str, ...] = ()


def parse_policy(source: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in (c.strip() for c in source.split("\n\n")):
        if not chunk:
            continue
        for prefix, kind in (("### ", "h3"), ("## ", "h2"), ("# ", "h1")):
            if chunk.startswith(prefix):
                blocks.append(Block(kind, chunk[len(prefix) :]))
                break
        else:
            list_kind = "ul" if chunk.startswith("- ") else "ol" if chunk.startswith("1. ") else ""
            if list_kind:
                item = chunk[2:] if list_kind == "ul" else chunk[3:]
                if blocks and blocks[-1].kind == list_kind:
                    blocks[-1] = Block(list_kind, items=(*blocks[-1].items, item))
                else:
                    blocks.append(Block(list_kind, items=(item,)))
            else:
                blocks.append(Block("p", chunk))
    return blocks


@cache
def _policy_for(language: str) -> tuple[Block, ...]:
    path = TEXTS_DIR / f"{language}.txt"
    if not path.is_file():
        path = TEXTS_DIR / f"{settings.LANGUAGE_CODE}.txt"
    return tuple(parse_policy(path.read_text(encoding="utf-8")))


def policy_text(language: str | None = None) -> tuple[Block, ...]:
    return _policy_for(language or translation.get_language() or settings.LANGUAGE_CODE)
