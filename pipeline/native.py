"""The repair stage's hot modules compiled with mypyc: the same code, faster on damaged text.

The repair stage does its work in small Python functions over dicts and strings; compiled to C
by mypyc (from the same typed sources) it repairs damaged text 1.15 to 1.7 times as fast (1.4
typical, the two run in turn on the same text), with byte-identical output (a test compares
the two). `make setup` builds it into ``build/native`` (``python -m pipeline.native``) when a C
compiler and Python's headers are there. The package then imports the compiled modules in
place of their sources, and plain Python otherwise:

- when nothing was built (no compiler, an installed wheel, a fresh clone);
- when a source file has changed since the build (its SHA-256 is in the build's stamp), so an
  edited module is never shadowed by an old compiled one;
- when ``NEWSLETTER_PURE_PYTHON=1`` is set (the test suite sets it, and runs the comparison).

``native_active()`` says which it is; ``make bench`` records it beside the repair rows.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from functools import lru_cache
from pathlib import Path

#: The modules compiled (the repair's per-word and per-page work), relative to the repository.
MODULES = (
    "pipeline/lexicon.py",
    "pipeline/repair/compounds.py",
    "pipeline/repair/confusion.py",
    "pipeline/repair/context.py",
    "pipeline/repair/diacritics.py",
    "pipeline/repair/english.py",
    "pipeline/repair/glyphs.py",
    "pipeline/repair/hyphenation.py",
    "pipeline/repair/parts.py",
    "pipeline/repair/records.py",
    "pipeline/repair/splitting.py",
    "pipeline/repair/stripping.py",
    "pipeline/repair/unicode.py",
)
ROOT = Path(__file__).resolve().parent.parent
NATIVE = ROOT / "build" / "native"
STAMP = NATIVE / "stamp.json"
LOG = ROOT / "build" / "native.log"  # what the last build printed
#: Set to 1 to run the package as plain Python whatever was built.
PURE_PYTHON_ENV = "NEWSLETTER_PURE_PYTHON"


def _fingerprint() -> dict[str, object]:
    """What a build was made from: the interpreter and each compiled source's SHA-256."""
    sources = {}
    for module in MODULES:
        try:
            sources[module] = hashlib.sha256((ROOT / module).read_bytes()).hexdigest()
        except OSError:
            sources[module] = ""
    return {"python": sys.implementation.cache_tag, "sources": sources}


@lru_cache(maxsize=1)
def native_active() -> bool:
    """True when the compiled modules are used: built, for these sources, and not turned off."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return False
    return stamp_matches(STAMP, _fingerprint()) and _runtime_loads()


def _runtime_loads() -> bool:
    """Whether mypyc's shared runtime module of the build imports here (a build copied from
    another machine may not): every compiled module loads it first."""
    found = sorted(NATIVE.glob("*__mypyc.*"))
    if len(found) != 1:
        return False
    if str(NATIVE) not in sys.path:
        sys.path.append(str(NATIVE))
    try:
        importlib.import_module(found[0].name.split(".", 1)[0])
    except ImportError:
        return False
    return True


def stamp_matches(stamp: Path, fingerprint: dict[str, object]) -> bool:
    """Whether the build stamp at `stamp` was written for this `fingerprint` (False when it is
    missing or unreadable)."""
    try:
        return bool(json.loads(stamp.read_text(encoding="utf-8")) == fingerprint)
    except (OSError, ValueError):
        return False


def package_path(path: list[str], package: str) -> list[str]:
    """A package's ``__path__`` with its compiled modules' folder first, when they are used.

    Called by ``pipeline/__init__.py`` and ``pipeline/repair/__init__.py`` (plain Python both)
    before they import anything else; mypyc's shared runtime module is found on ``sys.path``
    (`native_active` puts the build's folder there).
    """
    if not native_active():
        return path
    folder = NATIVE.joinpath(*package.split("."))
    return [str(folder), *path] if folder.is_dir() else path


def build() -> str:
    """Compile `MODULES` into `NATIVE` (replacing an earlier build) and write the stamp; a line
    saying what was done. Raises whatever mypyc or the C compiler raise."""
    from mypyc.build import mypycify  # (a development dependency: mypy ships mypyc)
    from setuptools import setup

    shutil.rmtree(NATIVE, ignore_errors=True)
    LOG.unlink(missing_ok=True)
    compiler = os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"
    if not shutil.which(compiler.split()[0]):
        raise RuntimeError(f"no C compiler ({compiler.split()[0]})")
    if not Path(sysconfig.get_paths()["include"], "Python.h").exists():
        raise RuntimeError("no Python.h (python3-dev)")
    NATIVE.mkdir(parents=True)
    log = io.StringIO()
    cwd = Path.cwd()
    try:
        os.chdir(ROOT)
        with tempfile.TemporaryDirectory() as temp, contextlib.redirect_stdout(log), \
                contextlib.redirect_stderr(log):
            setup(
                name="newsletter-pipeline-native",
                ext_modules=mypycify(list(MODULES), opt_level="3", target_dir=temp),
                script_args=["build_ext", "--build-lib", str(NATIVE), "--build-temp", temp],
            )
    finally:
        os.chdir(cwd)
        LOG.write_text(log.getvalue(), encoding="utf-8")
    STAMP.write_text(json.dumps(_fingerprint(), indent=1) + "\n", encoding="utf-8")
    return f"compiled {len(MODULES)} repair modules with mypyc into {NATIVE.relative_to(ROOT)}"


def main() -> int:
    """``python -m pipeline.native``: build, or say in one line why the package stays plain
    Python (a missing compiler is no error: the package works, slower)."""
    try:
        print(build())
    except (Exception, SystemExit) as exc:  # setuptools reports a failed compile by exiting
        shutil.rmtree(NATIVE, ignore_errors=True)
        if isinstance(exc, SystemExit) or not str(exc).strip():
            reason = "mypyc or the C compiler failed"
        else:
            reason = str(exc).strip().splitlines()[-1]
        log = " (build/native.log says more)" if LOG.exists() else ""
        print(f"not compiled: {reason[:200]}{log}; the repair runs as plain Python, with the "
              "same output")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
