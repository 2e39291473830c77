"""The README is for users: short, and every command it shows works as shown.

Every line of a ```sh block runs, in order, in a scratch folder holding a copy of fixtures/pdf
and fixtures/bad (so outputs written beside an input do not land in the checkout), with
`newsletter` on PATH. A line must end with exit status 0, or with the status its comment names
(`# exit 5: encrypted`). `make` lines are not run (they are the set-up); their targets must be
in the Makefile. The JSON example must be a valid document and agree with what `convert` gives
for the file it names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import json_schema
from tests.conftest import ROOT

README = ROOT / "README.md"
MAX_LINES = 200
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
_COMMENT = re.compile(r"\s+#\s.*$")
_EXIT = re.compile(r"#\s*exit (\d+)")


def blocks(kind: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [body for info, body in _FENCE.findall(text) if info == kind]


def commands() -> list[tuple[str, int]]:
    """(command without its comment, expected exit status) for every line of the sh blocks."""
    found = []
    for body in blocks("sh"):
        for line in body.splitlines():
            if not line.strip():
                continue
            expected = _EXIT.search(line)
            found.append((_COMMENT.sub("", line).strip(), int(expected[1]) if expected else 0))
    return found


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"README.md has {lines} lines; at most {MAX_LINES} (docs/ for more)"


def test_readme_names_the_two_commands_and_make_targets_exist() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
    targets = set(re.findall(r"^([\w-]+):", (ROOT / "Makefile").read_text(), re.M))
    for target in re.findall(r"`make ([\w-]+)`", text) + [
        cmd.split()[1] for cmd, _ in commands() if cmd.startswith("make ")
    ]:
        assert target in targets, f"README shows `make {target}`, which the Makefile lacks"


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the CLI, sub-commands of groups included, as argument paths."""
    found = [path]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_every_option_the_readme_shows_exists() -> None:
    text = README.read_text(encoding="utf-8")
    helps = "".join(CliRunner().invoke(main, [*path, "--help"]).output for path in _commands())
    for option in sorted(set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", text))):
        assert option in helps, f"README shows {option}, which no command has"


def test_readme_links_to_docs_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if "://" not in target:
            assert (ROOT / target).exists(), f"README links to {target}, which does not exist"


@pytest.mark.slow
def test_every_readme_command_runs_as_shown(tmp_path: Path) -> None:
    for part in ("pdf", "bad", "review"):
        shutil.copytree(ROOT / "fixtures" / part, tmp_path / "fixtures" / part)
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "newsletter"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pipeline "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(ROOT))
    ran = 0
    for command, expected in commands():
        if command.startswith("make "):
            continue
        result = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == expected, (
            f"`{command}` exited {result.returncode}, README says {expected}\n{result.stderr}"
        )
        ran += 1
    assert ran >= 5


def test_the_json_example_is_a_real_document_abridged() -> None:
    import jsonschema

    from pipeline import convert

    (example_text,) = blocks("json")
    example = json.loads(example_text)
    jsonschema.validate(example, json_schema())
    path = example["source"]["path"]
    real = json.loads(convert(ROOT / path).model_dump_json())
    real["source"]["path"] = path
    for key in ("schema_version", "tool", "source", "metadata"):
        assert example[key] == real[key], key
    for key in ("pages", "links", "repairs"):
        for item in example[key]:
            assert item in real[key], f"{key}: {item}"
    for section in example["sections"]:
        (same,) = [s for s in real["sections"] if s["heading"] == section["heading"]]
        assert same["level"] == section["level"] and same["page"] == section["page"]
        for block in section["blocks"]:
            assert block in same["blocks"], block
    assert real["text"].startswith(example["text"].rstrip("…"))
