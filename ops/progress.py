"""What long operator commands share: a progress bar, and the operator's language.

On a terminal the bar is redrawn in place: done/total, rate and time left. When
the output is a file or a pipe (cron, CI, a log), plain lines come instead, at
most one every few seconds and one at the end. Numbers, rates and durations
are written in the operator's language: ``LANGUAGE_CODE``, or ``--language``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.core.management.base import OutputWrapper
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

BAR_WIDTH = 20
PLAIN_EVERY = 5.0  # seconds between two plain lines


def add_language_option(parser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        default=None,
        help=_("Langue des messages (par défaut LANGUAGE_CODE)."),
    )


def operator_language(options: dict) -> translation.override:
    """The language the command speaks, for a ``with`` block around its work."""
    return translation.override(options.get("language") or settings.LANGUAGE_CODE)


def _number(value: float, decimals: int = 0) -> str:
    return number_format(round(value, decimals), decimals, use_l10n=True, force_grouping=True)


def _duration(seconds: float) -> str:
    seconds = int(max(seconds, 0))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """Progress of one stage (a model, a file): call ``update(done)``, then ``finish()``."""

    def __init__(
        self,
        stream: IO[str] | OutputWrapper,
        *,
        label: str,
        total: int | None,
        unit: str,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        # A command's OutputWrapper adds a line ending to every write: use what it wraps.
        self.stream = getattr(stream, "_out", stream)
        self.label = label
        self.total = total
        self.unit = unit
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock
        self.started = clock()
        self.last_plain: float | None = None
        self.done = 0
        self.drawn = False
        self.printed_done: int | None = None

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def left(self) -> float | None:
        rate = self.rate()
        if not self.total or not rate:
            return None
        return max(self.total - self.done, 0) / rate

    def text(self) -> str:
        rate = _("%(rate)s %(unit)s/s") % {"rate": _number(self.rate()), "unit": self.unit}
        if self.total:
            share = min(self.done / self.total, 1.0) if self.total else 1.0
            parts = [
                _("%(done)s sur %(total)s %(unit)s")
                % {"done": _number(self.done), "total": _number(self.total), "unit": self.unit},
                _("%(percent)s %%") % {"percent": _number(share * 100)},
                rate,
            ]
            left = self.left()
            if left is not None and self.done < self.total:
                parts.append(_("reste environ %(time)s") % {"time": _duration(left)})
            body = " · ".join(parts)
            if self.tty:
                filled = int(share * BAR_WIDTH)
                return f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {body}"
            return _("%(label)s : %(progress)s") % {"label": self.label, "progress": body}
        done = _("%(done)s %(unit)s") % {"done": _number(self.done), "unit": self.unit}
        body = " · ".join([done, rate])
        if self.tty:
            return f"{self.label} {body}"
        return _("%(label)s : %(progress)s") % {"label": self.label, "progress": body}

    def update(self, done: int) -> None:
        self.done = done
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.text())
            self.drawn = True
            self.stream.flush()
            return
        now = self.clock()
        if self.last_plain is None or now - self.last_plain >= PLAIN_EVERY:
            self.last_plain = now
            self._plain()

    def _plain(self) -> None:
        self.stream.write(self.text() + "\n")
        self.printed_done = self.done
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.text() + "\n")
            self.stream.flush()
        elif self.done != self.printed_done:
            self._plain()


class ModelBars:
    """One progress bar per model, in turn, for a walk over several models' rows.

    Pass it as a service's ``progress`` callback: each step names its model and its
    rows so far and in all (``step.model``, ``step.rows_so_far``, ``step.rows_total``).
    The bar of the previous model is finished when the next begins; ``finish()`` ends
    the last one.
    """

    def __init__(self, stdout: IO[str] | OutputWrapper, unit: str) -> None:
        self.stdout = stdout
        self.unit = unit
        self.model: str | None = None
        self.bar: ProgressBar | None = None

    def __call__(self, step) -> None:
        bar = self.bar
        if bar is None or step.model != self.model:
            self.finish()
            self.model = step.model
            bar = self.bar = ProgressBar(
                self.stdout, label=step.model, total=step.rows_total, unit=self.unit
            )
        bar.update(step.rows_so_far)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.finish()
            self.bar = None
