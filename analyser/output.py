"""Output folders: never among the inputs, never someone else's, and written whole or not at all.

A folder analyser makes carries a marker file (`.analyser-run`); a later run may write into it
again. A folder without the marker is written into only when it is empty or the user says
`--force`. Reports are written as hidden temporary files beside their final names (`staging`: by
this process, or into a file reserved for another), and renamed into place together with Ctrl-C
held back, so an interrupted or failed run leaves the previous reports or the new ones, never a
mixture or a half-written file. (They are left to the operating system to flush to disk, not
forced there.)
"""
from __future__ import annotations

import os
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from .errors import OutputError, RenderError

MARKER = ".analyser-run"
# a report's content: text, bytes, or bytes in parts written one after another (a national
# corpus's alignment is hundreds of megabytes, not worth joining into one piece first)
Content = str | bytes | tuple[bytes | memoryview, ...]
MARKER_TEXT = "This folder was made by analyser; a later run may overwrite the reports listed below.\n"


def check_output_folder(out: Path, *, inputs: Iterable[str | Path] = (), force: bool = False) -> None:
    """Raises OutputError when `out` is, or lies inside, an input folder, or is a folder analyser did not make."""
    here = out.resolve()
    for raw in inputs:
        given = Path(raw)
        path = given.resolve()
        if given.is_dir():
            if here == path or path in here.parents:
                raise OutputError(f"the output folder {out} is inside the input folder {raw}: analyser never "
                                  "writes among its inputs; choose --out elsewhere")
        elif here == path.parent:
            raise OutputError(f"the output folder {out} holds the input file {raw}: analyser never writes among "
                              "its inputs; choose --out elsewhere")
        elif here == path:
            raise OutputError(f"the output folder {out} is the input file {raw}: choose --out elsewhere")
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise OutputError(f"the output folder {out} exists and is not a folder: choose --out elsewhere")
    if force or (out / MARKER).is_file():
        return
    try:
        empty = next(out.iterdir(), None) is None
    except OSError as e:
        raise OutputError(f"the output folder {out} cannot be read ({e.strerror or e})") from e
    if not empty:
        raise OutputError(f"the output folder {out} already exists and was not made by analyser (it has no "
                          f"{MARKER} file): choose another --out, or pass --force to write into it")


class Staging:
    """Holds the files of one run while they are written, each as a hidden temporary file beside its name."""

    def __init__(self, out: Path):
        self.out = out
        self.files: dict[str, str] = {}  # name → temporary file

    def put(self, name: str, content: Content) -> None:
        """Stages a file with this content."""
        self.files[name] = stage_file(self.out, name, content)

    def reserve(self, name: str) -> str:
        """Returns an empty temporary file to be filled before the run ends (by another process, say)."""
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=self.out)
        os.close(fd)
        self.files[name] = temp
        _shareable(temp)
        return temp


@contextmanager
def staging(out: Path, *, force: bool = False) -> Iterator[Staging]:
    """Yields a Staging for the run's files; when the body ends without error, renames them into
    place together (and marks the folder as ours); otherwise removes them, leaving the folder as it was."""
    check_output_folder(out, force=force)
    try:
        ours = (out / MARKER).is_file()
        claim = not ours and (not out.exists() or next(out.iterdir(), None) is None)
        out.mkdir(parents=True, exist_ok=True)
        previous = _listed(out / MARKER) if ours else set()
    except OSError as e:
        raise RenderError(f"cannot create the output folder {out} ({e.strerror or e})") from e
    stage = Staging(out)
    try:
        yield stage
        names = list(stage.files)
        if ours or claim:  # only a folder we made, or found empty, is marked as ours
            stage.put(MARKER, MARKER_TEXT + "".join(f"{n}\n" for n in sorted(names)))
        with _interrupts_held():
            for name, temp in stage.files.items():
                os.replace(temp, out / name)
            stage.files.clear()
            # a report the last run wrote and this one does not (a redline without --baseline) would
            # otherwise sit beside the new reports as if it belonged to them
            for name in sorted(previous - set(names)):
                (out / name).unlink(missing_ok=True)
    except OSError as e:
        raise RenderError(f"cannot write the reports into {out} ({e.strerror or e})") from e
    finally:
        for temp in stage.files.values():
            Path(temp).unlink(missing_ok=True)


def _listed(marker: Path) -> set[str]:
    """Returns the file names the marker lists as written by the last run (plain names only)."""
    lines = marker.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    return {n for n in lines if n and n == Path(n).name and not n.startswith(".")}


def stage_file(out: Path, name: str, content: Content) -> str:
    """Returns the path of a hidden temporary file beside `name`, holding the content in full."""
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, tuple):
                fh.writelines(content)
            else:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        # not forced to disk (fsync): the rename is what keeps an interrupted run from leaving a
        # half-written report, and forcing a national corpus's 370 MB of link files out took most
        # of a second of a review (perf, issue 8); after a power cut, run it again
        _shareable(temp)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def write_parts(path: str, parts: Iterable[bytes | memoryview]) -> None:
    """Writes the parts one after another into a file (a reserved one: Staging.reserve)."""
    with open(path, "wb") as fh:
        fh.writelines(parts)


def _shareable(temp: str) -> None:
    # mkstemp makes a file only its owner may read; a report is shared like any other file
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Holds back Ctrl-C while the body runs, then delivers it (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
