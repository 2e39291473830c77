"""Letter-spaced display type read back as words: `G O D J U L` -> `GOD JUL`.

Display lines set with wide letter spacing come out of the text layer (and out of Tesseract)
as one word per letter. Within such a run the gaps between the letters of one word are all
alike; the gap between two words is clearly wider (the space plus the spacing on both sides).
Only the geometry decides where a word ends; a line without word boxes is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from .layout import Line, Word

MIN_LETTERS = 4  # single letters in a row before a run counts as letter-spaced
WORD_GAP = 1.4  # a gap this many times the run's letter gap (or more) ends a word


def collapse_letter_spacing(line: Line) -> Line:
    """The line with each run of spaced-out letters read as the words it spells.

    >>> def w(text, x0): return Word(text, x0, 0, x0 + 10, 12, 12, True)
    >>> letters = [w(c, x) for c, x in zip("GODJUL", (0, 18, 36, 70, 88, 106))]
    >>> words = tuple([w("Redaktionen", -200)] + letters)
    >>> line = Line("Redaktionen G O D J U L", -200, 0, 116, 12, 12, True, words=words)
    >>> collapse_letter_spacing(line).text
    'Redaktionen GOD JUL'
    """
    words = line.words
    if len(words) < MIN_LETTERS or " ".join(w.text for w in words) != " ".join(line.text.split()):
        return line
    out: list[str] = []
    run: list[Word] = []
    for word in words:
        if len(word.text) == 1 and word.text.isalpha():
            run.append(word)
            continue
        out.extend(_read_run(run))
        run = []
        out.append(word.text)
    out.extend(_read_run(run))
    text = " ".join(out)
    return line if text == " ".join(line.text.split()) else replace(line, text=text)


def _read_run(run: list[Word]) -> list[str]:
    """The words a run of single letters spells, split where a gap is a word's gap."""
    if len(run) < MIN_LETTERS:
        return [w.text for w in run]
    gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:], strict=False)]
    letter_gap = max(min(gaps), 0.02 * run[0].size)
    words = [run[0].text]
    for gap, word in zip(gaps, run[1:], strict=True):
        if gap >= WORD_GAP * letter_gap and gap - letter_gap > 0.12 * word.size:
            words.append(word.text)
        else:
            words[-1] += word.text
    return words
