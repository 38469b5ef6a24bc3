"""The README stays true to the command line: every command and option is documented there."""
from __future__ import annotations

import argparse

from analyser.cli import build_parser

from .conftest import ROOT


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = {o for action in parser._actions for o in action.option_strings if o.startswith("--") and o != "--help"}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= {f"command:{name}"} | _options(sub)
    return found


def test_docs_readme_names_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for item in sorted(_options(build_parser())):
        word = f"analyser {item.split(':', 1)[1]}" if item.startswith("command:") else item
        assert word in readme, f"{word} is not documented in README.md"


def test_docs_readme_gives_exactly_two_commands_that_set_up_and_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    ")]
    assert len(commands) == 2
    assert all(c.startswith("python3 -m venv .venv && .venv/bin/pip install") for c in commands)
    assert "analyser compare corpus/" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci, ".ci/run must run the README's test command"
