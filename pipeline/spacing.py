"""Letter-spaced display type read back as words: `G O D J U L` -> `GOD JUL`.

Display lines set with wide letter spacing come out of the text layer (and out of Tesseract)
as one word per letter. Within such a run the gaps between the letters of one word are all
alike; the gap between two words is clearly wider (the space plus the spacing on both sides).
Only the geometry decides where a word ends; a line without word boxes is left as it is.

Type tracked by about the word extractor's tolerance (3 pt) and drawn without space glyphs falls
apart unevenly: some letters part from the next, others stay together (`GOTT N YTT`). In a run
of capitals, mostly single letters, whose narrowest gap sits at that tolerance, such pieces of
two or three letters are read as letters of the run too (a formula's `U X und V Y` is no such
run: its words are in lower case).
"""

from __future__ import annotations

from dataclasses import replace

from .layout import Line, Word

MIN_LETTERS = 4  # single letters in a row before a run counts as letter-spaced
WORD_GAP = 1.4  # a gap this many times the run's letter gap (or more) ends a word
EXTRACT_TOLERANCE = 3.0  # points: pdfplumber's x_tolerance, which parts letters from words
PIECE_LETTERS = 3  # a piece of a letter-spaced run that stayed together: this many letters
PIECE_GAP = 1.0  # ... when the run's letter gap is within this of the tolerance (points)


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
        if len(word.text) <= PIECE_LETTERS and word.text.isalpha():
            run.append(word)
            continue
        out.extend(_read_pieces(run))
        run = []
        out.append(word.text)
    out.extend(_read_pieces(run))
    text = " ".join(out)
    return line if text == " ".join(line.text.split()) else replace(line, text=text)


def _read_pieces(run: list[Word]) -> list[str]:
    """A run of short pieces of letters: read whole when it is letter-spaced type that fell
    apart unevenly at the extractor's tolerance (mostly single letters, its narrowest gap at
    that tolerance); else each stretch of single letters is read on its own, other words kept.

    >>> def w(text, x0, x1): return Word(text, x0, 0, x1, 24, 24, True)
    >>> run = [w("G", 0, 17), w("O", 20.1, 38), w("T", 41.1, 55), w("T", 58.1, 72),
    ...        w("N", 84, 101), w("YTT", 104.1, 149)]
    >>> _read_pieces(run)
    ['GOTT', 'NYTT']
    >>> _read_pieces([w("i", 0, 3), w("en", 7, 20), w("av", 24, 37), w("de", 41, 54)])
    ['i', 'en', 'av', 'de']
    """
    singles = sum(len(w.text) == 1 for w in run)
    gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:], strict=False)]
    if (
        singles < len(run)
        and singles >= MIN_LETTERS
        and 2 * singles >= len(run)
        and all(w.text.isupper() for w in run)  # display capitals, not a formula's letters
        and gaps
        and EXTRACT_TOLERANCE - 0.1 <= min(gaps) <= EXTRACT_TOLERANCE + PIECE_GAP
    ):
        return _read_run(run)
    out: list[str] = []
    letters: list[Word] = []
    for word in run:
        if len(word.text) == 1:
            letters.append(word)
            continue
        out.extend(_read_run(letters))
        letters = []
        out.append(word.text)
    out.extend(_read_run(letters))
    return out


def _read_run(run: list[Word]) -> list[str]:
    """The words a run of single letters spells, split where a gap is a word's gap."""
    if sum(len(w.text) == 1 for w in run) < MIN_LETTERS:
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
