"""Genre symbols on OCR'd pages: the `§` of numbered paragraphs and the en dash of a range.

The rules look at a line's shape and the page's numbering (`pipeline.repair.symbols`); they run
only on pages Tesseract read or old OCR layers, and are recorded as repairs. The real scanned
minutes (an OCRmyPDF layer: `§` read as `&`, `$`, `8` or lost) are read from ../shared at run
time; they are development material (these rules were written while looking at them).
"""

from __future__ import annotations

import regex

from pipeline import convert
from pipeline.repair import repair_text, replay
from pipeline.repair.symbols import range_dash_edits, section_edits

from .conftest import shared_file

MINUTES = "corpus/sv/imatra_protokoll_stamma_2014_SCAN-OCR.pdf"
MINUTES_TRUTH = "corpus/sv-truth/imatra_protokoll_stamma_2014_SCAN-OCR.md"


def _fixed(text: str) -> str:
    return repair_text(text, ocr=True).text


def test_paragraph_signs_read_as_symbols_come_back() -> None:
    text = (
        "& 1 Mötets öppnande\nOrdföranden hälsade alla välkomna.\n"
        "$2 Val av sekreterare\nTill sekreterare valdes en ledamot.\n"
        "3 Val av justerare\nTvå justerare valdes.\n"
        "84 Godkännande av dagordning\nDagordningen godkändes.\n"
        "&5 = Övriga frågor\nInga övriga frågor."
    )
    assert _fixed(text).splitlines()[::2] == [
        "§ 1 Mötets öppnande",
        "§ 2 Val av sekreterare",
        "§ 3 Val av justerare",
        "§ 4 Godkännande av dagordning",
        "§ 5 Övriga frågor",
    ]


def test_the_repair_records_each_symbol_and_replays() -> None:
    text = "& 1 Mötets öppnande\nText.\n&2 Val av sekreterare\nText."
    result = repair_text(text, ocr=True)
    symbols = [r for r in result.records if r.stage == "symbols"]
    assert [(r.before, r.after) for r in symbols] == [("& ", "§ "), ("&", "§ ")]
    assert all("paragraph sign read as &" == r.reason for r in symbols)
    assert replay(text, result.records) == result.text


def test_one_ampersand_line_is_not_a_genre() -> None:
    """A single `& 2 …` line, or numbers at line starts without a paragraph sign, stay."""
    assert section_edits("Kalle & 2 Vänner spelar\n& 3 Personer kom") == []
    agenda = "1 Mötets öppnande\n2 Val av sekreterare\n3 Val av justerare"
    assert section_edits(agenda) == []


def test_eight_stays_a_number_where_the_numbering_does_not_fit() -> None:
    text = "& 1 Öppnande\n&2 Val\n812 Personer deltog i mötet\n&3 Avslutning"
    assert [e.before for e in section_edits(text)] == ["& ", "&", "&"]


def test_clean_text_is_never_given_symbols() -> None:
    text = "& 1 Mötets öppnande\n$2 Val av sekreterare\nBarn 0-18 år är välkomna."
    assert repair_text(text, ocr=False).text == text


def test_a_range_gets_its_en_dash_and_codes_keep_their_hyphen() -> None:
    assert _fixed("Barn 0-18 år, kl. 9-12, åren 2014-2015.") == (
        "Barn 0–18 år, kl. 9–12, åren 2014–2015."
    )
    kept = (
        "Ring 08-123 45 67 före 2014-04-28. Bankgiro 5050-1055, plusgiro 12 34 56-7, "
        "org.nr 769600-1234, ställning 3-1, https://a.se/1-2 och sida 1.2-3."
    )
    assert range_dash_edits(kept) == []


def test_bullets_read_as_cent_and_guillemet_start_items() -> None:
    text = "¢ Städdag i maj\n« Vårmöte i april"
    assert repair_text(text, ocr=True).text == "• Städdag i maj\n• Vårmöte i april"


def test_scanned_minutes_get_their_paragraph_signs_and_keep_their_typos() -> None:
    """The real minutes' old OCR layer: every `§ N` line back, the printed typos kept, and no
    other change but the ones its truth confirms (development material)."""
    document = convert(shared_file(MINUTES))
    numbers = [int(n) for n in regex.findall(r"§ (\d+) \p{Lu}", document.text)]
    assert sorted(set(numbers)) == list(range(1, 20))
    assert "stämmoordörandes" in document.text and "beröringen" in document.text
    assert not regex.search(r"(?m)^[&$]\s?\d", document.text)
    truth = " ".join(shared_file(MINUTES_TRUTH).read_text(encoding="utf-8").split())
    others = [r for r in document.repairs if r.applied and r.stage != "symbols"]
    assert {r.stage for r in others} <= {"split"}  # words run together, split as printed
    for r in others:
        assert r.after in truth and not regex.search(rf"\b{regex.escape(r.before)}\b", truth), r
