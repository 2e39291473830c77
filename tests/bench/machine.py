"""What the benchmark ran on: CPU, cores, memory, Python and the versions of the tools compared."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

PACKAGES = ("pdfplumber", "pdfminer.six", "pypdfium2", "pytesseract", "wordfreq", "regex",
            "ftfy", "pydantic", "reportlab")


def describe(root: Path) -> dict[str, object]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": {name: _version(name) for name in PACKAGES},
        "tesseract": _first_line(["tesseract", "--version"]),
        "tesseract_languages": _tesseract_languages(),
        "poppler": _first_line(["pdftotext", "-v"]),
        "git": _git(root),
    }


def summary_line(machine: dict[str, object]) -> str:
    """One line for a README: CPU, cores, RAM, Python, tool versions."""
    packages = machine.get("packages") or {}
    assert isinstance(packages, dict)
    parts = [
        f"{machine.get('cpu')}, {machine.get('cores')} cores, {machine.get('ram_gib')} GiB RAM",
        str(machine.get("os")),
        str(machine.get("python")),
        f"pdfplumber {packages.get('pdfplumber')}, pdfminer.six {packages.get('pdfminer.six')}, "
        f"pypdfium2 {packages.get('pypdfium2')}",
        str(machine.get("tesseract")),
        str(machine.get("poppler")),
    ]
    return "; ".join(parts)


def load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    m = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return " ".join(m.group(1).split()) if m else platform.machine()


def _ram_gib() -> float | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"^MemTotal:\s*(\d+)\s*kB", text, re.MULTILINE)
    return round(int(m.group(1)) / 1024 / 1024, 1) if m else None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _first_line(command: list[str]) -> str | None:
    if shutil.which(command[0]) is None:
        return None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else None


def _tesseract_languages() -> list[str]:
    if shutil.which("tesseract") is None:
        return []
    try:
        done = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    return [x.strip() for x in done.stdout.splitlines()[1:] if x.strip()]


def _git(root: Path) -> dict[str, object] | None:
    if shutil.which("git") is None:
        return None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=30, check=False)
        status = subprocess.run(["git", "-C", str(root), "status", "--porcelain",
                                 "--untracked-files=no"],
                                capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode:
        return None
    return {"commit": head.stdout.strip(), "modified_files": len(status.stdout.splitlines())}
