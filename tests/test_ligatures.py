"""Ligature glyphs mapped to a quote mark or a private-use character (issue 14, item 11)."""

from __future__ import annotations

from pipeline.repair import repair_text


def test_ll_and_tt_ligatures_mapped_to_a_quote_mark_are_read_as_letters() -> None:
    text = 'Vi vi" gärna höra från dig e"er din granne.\nDe ska\ue001ar nya ti"fä"iga lådor.'
    result = repair_text(text)
    assert result.text == (
        "Vi vill gärna höra från dig eller din granne.\nDe skaffar nya tillfälliga lådor."
    )
    stages = {r.stage for r in result.records if r.before in ('"', "\ue001")}
    assert stages == {"ligatures"}


def test_quotations_symbols_and_inches_are_left_alone() -> None:
    text = 'Hon sa "vi" och gick.\nSkärmen är 24" stor och B"(x) är en boll.'
    result = repair_text(text)
    assert result.text == text
    assert not [r for r in result.records if r.stage == "ligatures"]


def test_an_f_ligature_mapped_to_a_quote_mark_at_a_word_start_is_read_as_letters() -> None:
    text = 'Det "nns plats för "era, och alla som vill "ytta\nmed oss "ck en karta.'
    result = repair_text(text)
    assert result.text == (
        'Det finns plats för "era, och alla som vill flytta\nmed oss fick en karta.'
    )
    assert {r.stage for r in result.records if r.before == '"'} == {"ligatures"}


def test_quotations_that_open_at_a_word_start_are_left_alone() -> None:
    """A quoted word that is a word alone (`"ska`), or a quotation that closes on its line or
    the next (`"nns inte"`), keeps its quote mark."""
    text = 'Hon sa "ska vi gå nu, och han svarade "nns inte\nhär" och gick. Den ”era” tiden.'
    result = repair_text(text)
    assert result.text == text
    assert not [r for r in result.records if r.stage == "ligatures"]
