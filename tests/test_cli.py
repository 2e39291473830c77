"""The CLI: in-process with CliRunner, and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model import json_schema

from .conftest import ROOT


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        code, out, _ = invoke(name, "--help")
        assert code == 0 and "Usage" in out
        assert f"newsletter {name}" in readme, f"README does not show `newsletter {name}`"


def test_convert_seed_004_text(seed004: Path) -> None:
    code, out, err = invoke("convert", str(seed004), "-o", "-")
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, json_schema())
    headings = [s["heading"] for s in doc["sections"]]
    for expected in ("Vad händer nu?", "Vad händer framåt?", "Positiva exempel på lokal nivå"):
        assert expected in headings
    items = [b["text"] for s in doc["sections"] for b in s["blocks"] if b["type"] == "list_item"]
    assert len(items) == 10
    assert any(i.startswith("Utveckla och testa välmåendehjulet") for i in items)
    urls = [link["url"].rstrip("/") for link in doc["links"]]
    assert len(urls) == len(set(urls)) == 4
    printed = [w.rstrip("/") for w in doc["text"].split() if w.startswith("http")]
    assert sorted(printed) == sorted(urls)
    kinds = [b["type"] for s in doc["sections"] for b in s["blocks"]]
    assert "closing" in kinds and "signature" in kinds


def test_same_input_same_bytes(seed004: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert invoke("convert", str(seed004), "-o", str(first))[0] == 0
    assert invoke("convert", str(seed004), "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_default_output_beside_input_and_into_folder(seed004: Path, tmp_path: Path) -> None:
    copy = tmp_path / "brev.txt"
    copy.write_bytes(seed004.read_bytes())
    assert invoke("convert", str(copy))[0] == 0
    assert (tmp_path / "brev.json").exists()
    out_dir = tmp_path / "ut"
    out_dir.mkdir()
    assert invoke("convert", str(copy), "-o", str(out_dir), "--format", "md")[0] == 0
    assert (out_dir / "brev.md").read_text(encoding="utf-8").count("## ") >= 3


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    text = tmp_path / "brev.txt"
    text.write_text("Hej\n", encoding="utf-8")
    code, _, err = invoke("convert", str(text), "--format", "txt")
    assert code == 9 and "overwrite the input" in err
    assert text.read_text(encoding="utf-8") == "Hej\n"


def test_missing_input_is_one_line_and_exit_3(tmp_path: Path) -> None:
    code, out, err = invoke("convert", str(tmp_path / "saknas.pdf"))
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "no such file" in err
    assert not list(tmp_path.iterdir())


def test_usage_error_is_exit_2() -> None:
    assert invoke("convert")[0] == 2
    assert invoke("convert", "x.pdf", "--ocr", "sometimes")[0] == 2


def test_schema_command_prints_the_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"]["const"] == "1.1"


def test_repair_command_prints_text_and_diff(tmp_path: Path) -> None:
    text = tmp_path / "skadad.txt"
    text.write_text("Målet med arbetet är att alla barn ska må bra.\n", encoding="utf-8")
    code, out, _ = invoke("repair", str(text))
    assert code == 0 and out == "Målet med arbetet är att alla barn ska må bra.\n"
    code, out, _ = invoke("repair", str(text), "--diff")
    assert code == 0 and out == ""


def test_as_a_real_subprocess(seed004: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "convert", str(seed004), "-o", "-", "--format", "txt"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Vad händer framåt?" in proc.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "convert", str(seed004.with_suffix(".pdf"))],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert bad.returncode == 3 and "Traceback" not in bad.stderr


BAD_INPUTS = {
    "not-a-pdf.pdf": (4, "not a PDF"),
    "random-bytes.pdf": (4, "not a PDF"),
    "empty.pdf": (4, "empty"),
    "truncated.pdf": (4, "damaged"),
    "zero-pages.pdf": (4, "no pages"),
    "encrypted-user-password.pdf": (5, "--password"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_its_exit_code_and_no_output(name: str, tmp_path: Path) -> None:
    source = ROOT / "fixtures" / "bad" / name
    before = source.read_bytes()
    target = tmp_path / "ut.json"
    code, out, err = invoke("convert", str(source), "-o", str(target))
    expected_code, words = BAD_INPUTS[name]
    assert code == expected_code
    assert err.count("\n") == 1 and words in err and "Traceback" not in err
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert source.read_bytes() == before


def test_encrypted_pdf_opens_with_its_password(tmp_path: Path) -> None:
    source = ROOT / "fixtures" / "bad" / "encrypted-user-password.pdf"
    target = tmp_path / "ut.json"
    code, _, err = invoke("convert", str(source), "-o", str(target), "--password", "hemligt")
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8"))["source"]["pages"] >= 1
    code, _, err = invoke("convert", str(source), "-o", str(target), "--password", "fel")
    assert code == 5 and "password" in err
