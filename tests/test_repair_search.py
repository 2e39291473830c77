"""The repair's short cuts find exactly what its exhaustive searches find.

The candidate search looks words up by loose key instead of enumerating a token's readings, and
the compound and split searches try only the part ends the part trie lists. These tests run both
ways over real damaged tokens (seed 000, the fixture truths through the corruption channel) and
seeded random strings of the confusable letters, against the real lexicon.
"""

from __future__ import annotations

import itertools
import random
from functools import partial
from pathlib import Path

import pytest

from fixtures.truth import load_truth, truth_path_for
from pipeline.lexicon import load_lexicon, skeleton_index
from pipeline.repair import corrupt_text
from pipeline.repair import diacritics as D
from pipeline.repair.compounds import MIN_PART
from pipeline.repair.parts import (
    SPLIT_LONGEST,
    compound_ends,
    part_trie,
    split_ends,
    split_threshold,
)

from .conftest import SHARED, shared_file

ROOT = Path(__file__).resolve().parents[1]
SEED_000 = SHARED / "seeds" / "000_ed95ccfacf04fe09.txt"
#: The truth of every fixture PDF (a missing one fails the tests that read them).
TRUTHS = sorted({truth_path_for(pdf) for pdf in (ROOT / "fixtures" / "pdf").glob("*.pdf")})
LEXICON = load_lexicon()
RATE = 0.97


def _tokens() -> list[tuple[str, bool]]:
    """(lower-case token, read its capital I as l?) for damaged and random tokens."""
    texts = [SEED_000.read_text("utf-8")] if SEED_000.exists() else []
    for path in TRUTHS:
        text = load_truth(path).text
        texts += [text, corrupt_text(text, seed=3)]
    printed = {m.group(0) for text in texts for m in D.TOKEN.finditer(text)}
    rnd = random.Random(7)
    for _ in range(1500):
        printed.add("".join(rnd.choice("adé&6öåäoilsnrt") for _ in range(rnd.randint(1, 10))))
    printed |= {"Idagdadada", "é&é&dd", "Iadadé", "uppdat", "verksamhetsfdrandring"}
    return sorted({(t.lower(), D.capital_i(t) or t[0] == "I") for t in printed})


TOKENS = _tokens()


def test_the_fixture_truths_and_seed_000_are_among_the_tokens() -> None:
    """What the module docstring promises is searched (the seed: skipped without ../shared,
    failed under CI)."""
    assert len(TRUTHS) >= 4
    words = {token for token, _ in TOKENS}
    for path in TRUTHS:
        assert {t.lower() for _, t in D.tokens(load_truth(path).text)} <= words, path.name
    seed = shared_file(SEED_000.relative_to(SHARED).as_posix()).read_text("utf-8")
    assert {t.lower() for _, t in D.tokens(seed)} <= words


@pytest.mark.parametrize("a_for_o", [False, True])
def test_loose_look_up_finds_the_words_of_every_reading(a_for_o: bool) -> None:
    differ = []
    for token, capital in TOKENS:
        if capital and token[0] != "i":
            continue
        enumerated: dict[str, D.Candidate] = {}
        D._add_whole_words(enumerated, LEXICON, RATE, D._readings(token, capital, a_for_o))
        looked_up: dict[str, D.Candidate] = {}
        shared = D._add_words(looked_up, LEXICON, RATE, token, capital, a_for_o)
        if looked_up != enumerated:
            differ.append(token)
        if not shared:  # no word shares its loose key: no reading is a word, whatever the rules
            for other in (False, True):
                none: dict[str, D.Candidate] = {}
                D._add_whole_words(none, LEXICON, RATE, D._readings(token, capital, other))
                if none:
                    differ.append(token)
    assert not differ, differ[:10]


def test_reading_count_is_the_number_of_readings() -> None:
    for token, capital in TOKENS:
        if (capital and token[0] != "i") or "da" in token or "é&" in token:
            continue
        for a_for_o in (False, True):
            count = D._reading_count(token, capital, a_for_o)
            enumerated = len(D._readings(token, capital, a_for_o))
            assert min(count, D.MAX_READINGS) == enumerated, (token, capital, a_for_o)


def _brute_force_readings(token: str, capital: bool, a_for_o: bool) -> list[str]:
    """The skeletons `readings` documents, by brute force: every combination of what each
    letter can be (d and é: itself, a, o; a leading I: l or i; a: a, or ö with `a_for_o`; å/ä/ö
    and, inside a word, 6/&: their plain letter), in order, with at most three changes and one
    ö read as a, the first `MAX_READINGS`."""
    options = []
    for k, ch in enumerate(token):
        if k == 0 and capital:
            options.append("li")
        elif ch in "dé":
            options.append(ch + ("ao" if ch == "d" else "oa"))
        elif ch == "a" and a_for_o:
            options.append("ao")
        else:
            one = {"å": "a", "ä": "a", "ö": "o"}
            if len(token) > 1:
                one |= {"6": "o", "&": "a"}
            options.append(one.get(ch, ch))
    out = []
    for combo in itertools.product(*options):
        changes = sum(c != p for c, p in zip(combo, token, strict=True) if p in "déia")
        o_as_a = sum(c == "o" and p == "a" for c, p in zip(combo, token, strict=True))
        if changes <= 3 and o_as_a <= 1:
            out.append("".join(combo))
            if len(out) == D.MAX_READINGS:
                break
    return out


def test_readings_are_the_documented_combinations() -> None:
    checked = 0
    for token, capital in TOKENS:
        if (capital and token[0] != "i") or "da" in token or "é&" in token:
            continue
        for a_for_o in (False, True):
            if token.count("d") + token.count("é") + a_for_o * token.count("a") > 8:
                continue  # (the brute force would take long)
            found = [skel for skel, printed in D._readings(token, capital, a_for_o)]
            assert found == _brute_force_readings(token, capital, a_for_o), (token, capital)
            checked += 1
    assert checked > 1000


def _long_readings() -> list[D.Reading]:
    out: list[D.Reading] = []
    for token, capital in TOKENS:
        if len(token) >= 7 and not (capital and token[0] != "i"):
            out += D._readings(token, capital, False)[: D.COMPOUND_READINGS]
    return out


def test_compound_ends_list_every_end_a_part_can_have() -> None:
    trie = part_trie(LEXICON)
    checked = 0
    for skel, printed in _long_readings():
        score_part = D._part_scorer(skel, printed, RATE, LEXICON)
        for i in range(len(skel) - MIN_PART + 1):
            ends = compound_ends(trie, skel, i)
            for j in range(i + MIN_PART, len(skel) + 1):
                if score_part(i, j):
                    checked += 1
                    assert j in ends, (skel, i, j)
    assert checked > 1000


def test_split_ends_list_every_end_a_part_can_have() -> None:
    trie = part_trie(LEXICON)
    freq, forms = LEXICON.frequencies, skeleton_index(LEXICON)
    whole_words = D._whole_words(LEXICON)
    checked = 0
    for skel, printed in _long_readings():
        for i in range(len(skel)):
            ends = split_ends(trie, skel, i)
            for j in range(i + 2, min(len(skel), i + SPLIT_LONGEST) + 1):
                part = skel[i:j]
                if part not in freq and part not in forms:
                    continue
                if whole_words(printed[i:j], RATE, split_threshold(j - i), part):
                    checked += 1
                    assert j in ends, (skel, i, j)
    assert checked > 1000


def test_tokens_after_the_split_are_the_tokens_of_the_split_text() -> None:
    """The split stage's tokens carried over (shifted, the split words read from the records)
    equal reading the split text again, on pages where spaces were lost and put back."""
    from pipeline.repair import apply_edits, split_edits
    from pipeline.repair.splitting import tokens_after_split

    texts = [SEED_000.read_text("utf-8")] if SEED_000.exists() else []
    for path in TRUTHS:
        texts.append(corrupt_text(load_truth(path).text, seed=5))
    texts.append("insatserihela skeriarbetet\nNidrvalkomna ilanet, S6rmland och ochi 7—18 ar")
    splits = 0
    for text in texts:
        toks = D.tokens(text)
        edits = split_edits(text, lexicon=LEXICON, rate=RATE, toks=toks)
        new, records = apply_edits(text, edits, stage="split", page=1)
        splits += sum(r.applied for r in records)
        assert tokens_after_split(new, toks, records) == D.tokens(new)
    assert splits >= 5


def test_evidence_words_from_tokens_are_the_words_of_the_text() -> None:
    """The damage estimate reads its words from the page's tokens: the same words, in the same
    order, as its own pattern finds in the text (digits, &, 6 and one-letter runs included)."""
    from pipeline.lexicon import words_in_tokens
    from pipeline.repair.stripping import _WORD

    texts = [SEED_000.read_text("utf-8")] if SEED_000.exists() else []
    for path in TRUTHS:
        text = load_truth(path).text
        texts += [text, corrupt_text(text, seed=9)]
    rnd = random.Random(11)
    texts.append("".join(rnd.choice("ab6&7 é1åÅ\n-x²") for _ in range(20000)))
    for text in texts:
        assert words_in_tokens((w for _, w in D.tokens(text)), _WORD, 2) == _WORD.findall(text)


def test_line_words_from_tokens_are_the_words_of_the_line() -> None:
    """The English-line test reads a line's words from its tokens: the same words as
    `WORD_PATTERN` finds in the line (digits and & inside tokens included)."""
    from pipeline.lexicon import WORD_PATTERN, words_in_tokens

    rnd = random.Random(13)
    lines = ["Read more about the project on our website", "S6rmland & 2020-talet", "a1b2&c"]
    lines += ["".join(rnd.choice("ab6&7 é1Åx²-") for _ in range(rnd.randint(0, 40)))
              for _ in range(3000)]
    for line in lines:
        assert words_in_tokens(w for _, w in D.tokens(line)) == WORD_PATTERN.findall(line)


def test_english_lines_are_the_lines_that_read_as_english() -> None:
    """The English test reads in full only the lines with two English function words or more:
    it finds the lines `is_english_line` finds, reading every line (English, Swedish, mixed,
    with digits and & inside words)."""
    from pipeline.repair.english import _NEWLINE, english_lines, is_english_line

    english = ["Read more about the project on our website", "the&and of2the", "for the 7"]
    swedish = ["Målet ar att alla barn ska ma bra", "for over all and", "S6rmland & 2020"]
    rnd = random.Random(17)
    words = "the and of to is for over all be an är i och att on we S6rmland 7&the".split()
    texts = ["\n".join(english + swedish)]
    for _ in range(300):
        lines = [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8))) for _ in range(6)]
        texts.append("\n".join(lines))
    found = 0
    for text in texts:
        starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        expected = {k for k, line in enumerate(text.split("\n")) if is_english_line(line)}
        assert english_lines(text, D.tokens(text), starts) == expected, text
        found += len(expected)
    assert found > 100


def test_glyph_searches_find_what_the_rules_say() -> None:
    """The bullet search (a line break found first) finds the bullets of a line-by-line reading,
    and the word-I search the glyphs the rule's own words describe (at a line start, after a
    sentence end and spaces, or after a space or tab), on the seeds and random text."""
    import regex

    from pipeline.repair import glyphs

    bullet_line = regex.compile(r"[ \t]*([eo*»·])[ \t]+(?=\p{Lu}\p{Ll})")
    word_i_rule = regex.compile(
        r"(?:(?<=^[ \t]*)|(?<=[.!?:][ \t]+)|(?<=[ \t]))([|l1])[ \t]+(?=\p{Ll}{2,})", regex.M
    )
    texts = [path.read_text("utf-8") for path in sorted(ROOT.parent.glob("shared/seeds/*.txt"))]
    rnd = random.Random(19)
    texts += ["".join(rnd.choice(" \t\n.!?:|l1abABeo*»·Ö") for _ in range(rnd.randint(0, 30)))
              for _ in range(5000)]
    for text in texts:
        start = glyphs._BULLET_AT_START.match(text)
        found = ([start.start(1)] if start else []) + [
            m.start(1) for m in glyphs._BULLET.finditer(text)
        ]
        expected, offset = [], 0
        for line in text.split("\n"):
            m = bullet_line.match(line)
            if m:
                expected.append(offset + m.start(1))
            offset += len(line) + 1
        assert found == expected, text
        assert [m.span(1) for m in glyphs._WORD_I.finditer(text)] == [
            m.span(1) for m in word_i_rule.finditer(text)
        ], text


def test_compound_search_is_skipped_only_where_it_finds_nothing() -> None:
    """`_reachable_part_ends` gives None (the search is not run) only for readings where the search
    over every position finds no compound."""
    from pipeline.repair.compounds import best_compound

    trie = part_trie(LEXICON)
    skipped = 0
    for skel, printed in _long_readings():
        if len(skel) < 6 or D._reachable_part_ends(skel, LEXICON) is not None:
            continue
        skipped += 1
        score_part = D._part_scorer(skel, printed, RATE, LEXICON)
        assert best_compound(len(skel), score_part) is None, skel
        assert best_compound(len(skel), score_part, partial(compound_ends, trie, skel)) is None
    assert skipped > 100


def test_compounds_are_tried_only_without_another_whole_word_reading() -> None:
    """A token that reads as another lexicon word gets no compound readings, even when that word
    is rarer than the lexicon's noise level (`fdrevisas` was also read as the compound
    `fårevisas`); a token with no whole-word reading is read as a compound."""
    for token, word in (("fdrevisas", "förevisas"), ("fdrandringsarbetet", "förändringsarbetet")):
        found = D.candidates(token, RATE, LEXICON)
        assert found[0][D.WORD] == word
        assert not any(c[D.COMPOUND] for c in found)
    found = D.candidates("verksamhetsforandring", RATE, LEXICON)
    assert found[0][D.WORD] == "verksamhetsförändring" and found[0][D.COMPOUND]
