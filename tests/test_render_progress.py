"""Progress on long runs: the library reports through a callback; the CLI draws a bar only on a terminal."""
from __future__ import annotations

import io

from analyser import Settings, run
from analyser.cli import progress_bar

from .conftest import CORPUS


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_render_progress_reports_every_stage_in_order(tmp_path):
    seen: list[tuple[str, int, int]] = []
    run([CORPUS / "dudley.txt", CORPUS / "town-council.txt"], settings=Settings(target="town-council", out=tmp_path),
        progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = [s for s, _, _ in seen]
    assert stages == ["reading dudley.txt", "reading town-council.txt", "aligning", "reviewing", "writing reports", "done"]
    steps = [(d, t) for _, d, t in seen[:-1]]
    assert steps == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5)]


def test_render_progress_bar_is_silent_off_a_terminal():
    assert progress_bar(io.StringIO()) is None


def test_render_progress_bar_draws_and_clears_on_a_terminal():
    stream = _Terminal()
    draw = progress_bar(stream, width=10)
    draw("aligning", 1, 2)
    assert "[#####.....] 1/2 aligning" in stream.getvalue()
    draw("done", 1, 1)
    assert stream.getvalue().endswith("\r\033[K")
