"""Document metadata: title, language, date and issue number, from the text or the PDF's info."""

from __future__ import annotations

import regex
import wordfreq

from .model import Metadata
from .segment import Structure

MONTHS = {
    name: number
    for number, names in enumerate(
        [("januari", "jan"), ("februari", "feb"), ("mars", "mar"), ("april", "apr"), ("maj",),
         ("juni", "jun"), ("juli", "jul"), ("augusti", "aug"), ("september", "sep", "sept"),
         ("oktober", "okt"), ("november", "nov"), ("december", "dec")],
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = regex.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
DAY_MONTH_YEAR = regex.compile(
    rf"\b([1-9]|[12]\d|3[01])\s+({_MONTH})\.?\s+((?:19|20)\d\d)\b", regex.IGNORECASE
)
MONTH_YEAR = regex.compile(rf"\b({_MONTH})\s+((?:19|20)\d\d)\b", regex.IGNORECASE)
ISSUE = regex.compile(
    r"\b(?:nr|nummer|no\.?|issue)\s*\.?\s*(\d{1,3})\s*(?:[/-]\s*|\s+)((?:19|20)\d\d)\b",
    regex.IGNORECASE,
)
PDF_DATE = regex.compile(r"^D:((?:19|20)\d\d)(\d\d)?(\d\d)?")
WORD = regex.compile(r"\p{L}{2,}")
HEAD_CHARS = 600  # dates and issue numbers are looked for in the masthead first


def detect_metadata(structure: Structure, info: dict[str, str], language: str | None) -> Metadata:
    """Title, date and issue from the masthead (or the PDF's info); `language` as detected."""
    text = structure.text
    title = structure.title or _info_title(info)
    date = _date(text[:HEAD_CHARS]) or _pdf_date(info.get("CreationDate", ""))
    issue_match = ISSUE.search(text[:HEAD_CHARS]) or ISSUE.search(text)
    return Metadata(
        title=title,
        language=language,
        date=date,
        issue=" ".join(issue_match.group().split()) if issue_match else None,
    )


def detect_language(
    text: str, candidates: tuple[str, ...] = ("sv", "en", "de", "fr")
) -> str | None:
    """The candidate language whose word list covers the most of the text's words.

    >>> detect_language("Vi önskar er en fin sommar och välkomna tillbaka i höst")
    'sv'
    """
    words = [w.lower() for w in WORD.findall(text[:20000])]
    if len(words) < 3:
        return None
    scores = {
        lang: sum(wordfreq.zipf_frequency(w, lang, wordlist="small") > 2.5 for w in words)
        for lang in candidates
    }
    best = max(candidates, key=lambda lang: (scores[lang], lang == "sv"))
    return best if scores[best] >= 0.3 * len(words) else None


def _date(text: str) -> str | None:
    """The first date the text gives, as precisely as it gives it.

    >>> _date("Nyhetsbrev juni 2022"), _date("Stämman hölls 28 april 2014.")
    ('2022-06', '2014-04-28')
    """
    candidates: list[tuple[int, str]] = []
    if m := ISO_DATE.search(text):
        candidates.append((m.start(), m.group()))
    if m := DAY_MONTH_YEAR.search(text):
        month = MONTHS[m.group(2).lower()]
        candidates.append((m.start(), f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"))
    if m := MONTH_YEAR.search(text):
        if not DAY_MONTH_YEAR.search(text[max(0, m.start() - 4) : m.end()]):
            candidates.append((m.start(), f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"))
    return min(candidates)[1] if candidates else None


def _pdf_date(value: str) -> str | None:
    m = PDF_DATE.match(value.strip())
    if not m or m.group(1) == "2000" and (m.group(2) or "01") == "01":  # reportlab's invariant
        return None
    return "-".join(part for part in m.groups() if part)


def _info_title(info: dict[str, str]) -> str | None:
    title = " ".join(info.get("Title", "").split())
    if not title or title.lower() in {"untitled", "(anonymous)", "microsoft word"}:
        return None
    return title
