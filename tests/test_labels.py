"""Margin labels (agenda numbers) that OCR read as a column of their own go back on their lines.

A page of minutes is drawn as an image (no text layer) with its agenda numbers a tab stop left
of the headings, and read with the real Tesseract (which drops the lone digits `2` and `3` and
reads `10`-`15` as a block of their own); the rule itself is tested on `Line`s.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline import convert
from pipeline.labels import attach_labels
from pipeline.layout import Line

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
REGULAR = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ITEMS = [
    ("2", "Val av ordförande", "Till ordförande för mötet valdes styrelsens ordförande."),
    ("3", "Val av sekreterare", "Till sekreterare valdes en av ledamöterna i styrelsen."),
    ("10", "Val av revisorer", "Till revisorer valdes två av medlemmarna i föreningen."),
    ("11", "Val av valberedning", "Valberedningen omvaldes för en tid av ett år."),
    ("12", "Övriga frågor", "Inga övriga frågor hade anmälts till mötet i förväg."),
    ("15", "Avslutning", "Ordföranden tackade alla för visat intresse och avslutade mötet."),
]


def _line(text: str, x0: float, top: float, block: int) -> Line:
    return Line(text, x0, top, x0 + 6 * len(text), top + 11, 11, False, block=block)


def test_a_label_alone_in_its_block_joins_the_line_beside_it() -> None:
    lines = [
        _line("Övriga frågor", 130, 330, 0),
        _line("Inga frågor hade anmälts.", 130, 347, 0),
        _line("Avslutning", 130, 382, 1),
        _line("12", 61, 330, 2),
        _line("15", 61, 382, 3),
    ]
    assert [(line.text, line.block) for line in attach_labels(lines)] == [
        ("12 Övriga frågor", 0),
        ("Inga frågor hade anmälts.", 0),
        ("15 Avslutning", 1),
    ]


def test_a_number_far_from_any_line_or_inside_a_block_stays() -> None:
    lines = [
        _line("Övriga frågor", 130, 330, 0),
        _line("12", 61, 500, 1),  # nothing beside it
        _line("2023", 300, 330, 2),  # not a label
        _line("Sida", 60, 700, 3),
        _line("3", 90, 700, 3),  # a number in a block with other lines
    ]
    assert attach_labels(lines) == tuple(lines)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_scanned_minutes_keep_their_agenda_numbers_before_their_headings(tmp_path: Path) -> None:
    scale = 300 / 72
    image = Image.new("L", (round(595 * scale), round(842 * scale)), 255)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(BOLD, round(11 * scale))
    regular = ImageFont.truetype(REGULAR, round(11 * scale))
    for k, (number, heading, body) in enumerate(ITEMS):
        y = (80 + 50 * k) * scale
        draw.text((60 * scale, y), number, font=bold, fill=0)
        draw.text((130 * scale, y), heading, font=bold, fill=0)
        draw.text((130 * scale, y + 16 * scale), body, font=regular, fill=0)
    pdf = tmp_path / "protokoll.pdf"
    image.save(pdf, resolution=300)
    text = convert(pdf).text
    for number, heading, _ in ITEMS:
        assert f"{number} {heading}" in text
