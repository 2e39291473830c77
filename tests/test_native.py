"""The compiled repair modules (pipeline/native.py) give the same output as plain Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.native import PURE_PYTHON_ENV, _fingerprint, stamp_matches

from .conftest import ROOT, SEEDS, SHARED

# Repairs seeds 000/004, the fixture truths as written and damaged, and damaged sentences of
# ../shared/corpus/text-sv, with each option set; prints whether the compiled modules were used
# and a digest of every result (text and records).
SCRIPT = r"""
import hashlib, json, sys
from pathlib import Path
from pipeline.native import native_active
from pipeline.repair import corrupt_text, document_phrases, repair_text
from tests.bench.corpus import truth_files
from fixtures.truth import load_truth
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[1]).glob("*.txt"))]
for path in truth_files():
    truth = load_truth(path).text
    texts += [truth, corrupt_text(truth, seed=7)]
corpus = Path(sys.argv[2])
if corpus.is_dir():
    lines = [l for p in sorted(corpus.glob("*.txt"))
             for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    for k in range(0, min(len(lines), 3000), 100):
        texts.append(corrupt_text("\n".join(lines[k:k + 100]), seed=k))
phrases = document_phrases("\n".join(texts[:2]))
options = [{}, {"ocr": True, "phrases": phrases}, {"stripped": True}, {"swedish": False}]
digest = hashlib.sha256()
for option in options:
    for i, text in enumerate(texts):
        result = repair_text(text, page=i + 1, **option)
        digest.update(json.dumps([result.text, [list(r) for r in result.records]],
                                 ensure_ascii=False, default=str).encode())
print(json.dumps({"native": native_active(), "texts": len(texts), "digest": digest.hexdigest()}))
"""


def _run(pure: bool) -> dict[str, object]:
    env = {**os.environ, PURE_PYTHON_ENV: "1" if pure else "0"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SEEDS), str(SHARED / "corpus" / "text-sv")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_compiled_repair_gives_the_same_output_as_plain_python() -> None:
    compiled = _run(pure=False)
    if not compiled["native"]:
        pytest.skip("the compiled repair modules are not built for these sources "
                    "(make setup builds them; python -m pipeline.native)")
    plain = _run(pure=True)
    assert plain["native"] is False
    assert compiled["texts"] == plain["texts"] and int(str(plain["texts"])) >= 30
    assert compiled["digest"] == plain["digest"]


def test_a_build_is_used_only_for_the_sources_it_was_made_from(tmp_path: Path) -> None:
    stamp = tmp_path / "stamp.json"
    assert not stamp_matches(stamp, _fingerprint())  # nothing built
    stamp.write_text("not json", encoding="utf-8")
    assert not stamp_matches(stamp, _fingerprint())
    fingerprint = _fingerprint()
    stamp.write_text(json.dumps(fingerprint), encoding="utf-8")
    assert stamp_matches(stamp, fingerprint)
    sources = dict(fingerprint["sources"])  # type: ignore[call-overload]
    sources["pipeline/repair/diacritics.py"] = "0" * 64  # a source edited since the build
    assert not stamp_matches(stamp, {**fingerprint, "sources": sources})
    assert not stamp_matches(stamp, {**fingerprint, "python": "cpython-399"})
