"""Long operator commands: a live bar on a terminal, plain lines elsewhere, in their language."""

from io import StringIO

from django.utils import translation

from privacy.management.progress import ProgressBar


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_on_a_terminal_the_bar_is_redrawn_in_place_with_rate_and_time_left():
    out, clock = StringIO(), Clock()
    with translation.override("en"):
        bar = ProgressBar(
            out, label="coverage.Claim", total=100, unit="rows", tty=True, clock=clock
        )
        clock.now += 5
        bar.update(50)
        drawn = out.getvalue()
        assert drawn.startswith("\r")
        assert "coverage.Claim [##########..........] 50 of 100 rows · 50% · 10 rows/s" in drawn
        assert "about 0:05 left" in drawn
        clock.now += 5
        bar.update(100)
        bar.finish()
    assert out.getvalue().endswith("100 of 100 rows · 100% · 10 rows/s\n")


def test_in_french_numbers_and_words_follow_the_operators_language():
    out, clock = StringIO(), Clock()
    with translation.override("fr"):
        bar = ProgressBar(
            out, label="coverage.Claim", total=20000, unit="lignes", tty=False, clock=clock
        )
        clock.now += 10
        bar.update(5000)
    line = out.getvalue()
    assert line.startswith(
        "coverage.Claim : 5\u00a0000 sur 20\u00a0000 lignes · 25 % · 500 lignes/s"
    )
    assert "reste environ 0:30" in line


def test_without_a_terminal_plain_lines_come_at_most_every_few_seconds_and_at_the_end():
    out, clock = StringIO(), Clock()
    with translation.override("en"):
        bar = ProgressBar(out, label="x", total=20, unit="rows", tty=False, clock=clock)
        for done in range(1, 21):
            clock.now += 0.5
            bar.update(done)
        bar.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3  # the first, one 5 s later, and the end
    assert "\r" not in out.getvalue()
    assert lines[-1].startswith("x: 20 of 20 rows · 100%")
