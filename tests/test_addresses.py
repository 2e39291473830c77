"""URLs and e-mail addresses: one definition (pipeline/addresses.py), and nothing inside one is
ever changed by the repair or by `convert` (property tests over generated addresses whose paths
hold Swedish words printed without å/ä/ö, which the repair would otherwise correct)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import addresses, convert
from pipeline.addresses import DOMAIN_ENDINGS, address_spans, continues_url, is_address
from pipeline.repair import repair_text

# Swedish words as a page that lost its å/ä/ö prints them: the repair restores them in running
# text ("for" -> "för"), and must leave them alone inside an address.
STRIPPED_WORDS = ["for", "barn", "lansgemensamt", "regionalt", "stod", "halsa", "ar", "pa",
                  "oppet", "forskola", "malbild", "sa", "nar", "gar", "fraga", "tillganglighet"]
word = st.sampled_from(STRIPPED_WORDS)
slug = st.lists(word, min_size=1, max_size=3).map("-".join)
host = st.lists(st.sampled_from(["ekeby", "fou", "sormland", "brfimatra", "www2", "bibliotek"]),
                min_size=1, max_size=3).map(".".join)
ending = st.sampled_from(DOMAIN_ENDINGS)
path = st.lists(slug, min_size=1, max_size=3).map("/".join)


@st.composite
def urls(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from(["https://", "http://", "https://www.", "www.", ""]))
    port = draw(st.sampled_from(["", "", ":8080"])) if start.startswith("http") else ""
    url = f"{start}{draw(host)}.{draw(ending)}{port}/{draw(path)}"
    return url + draw(st.sampled_from(
        ["", "/", ".html", "?sida=for", "?id=12&typ=halsa", "#for-barn", "/sida_2", "/%C3%A5r"]))


@st.composite
def emails(draw: st.DrawFn) -> str:
    name = draw(st.lists(word, min_size=1, max_size=2).map(".".join))
    tag = draw(st.sampled_from(["", "+nyhetsbrev", "_2", "-for"]))
    return f"{name}{tag}@{draw(host)}.{draw(ending)}"


def _goes_on(cut: str, tail: str) -> bool:
    """Whether `continues_url` takes `tail` (followed by more words) as more of a URL broken
    after `cut`: always after "-"; after "/" only with a sign of a path in it, since a plain word
    there may as well start the sentence's next words (by design: not rejoined, not protected)."""
    return cut != "/" or any(sign in tail for sign in "-/.?=&#%_0123456789")


# A page stripped of its å/ä/ö around the address, so that the repair works hard on it.
BEFORE = "Malbilden for arbetet ar att alla barn ska ga i skolan. Las mer pa "
AFTER = " for att se hur det gar for barnen."
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@PROPERTY
@given(address=st.one_of(urls(), emails()), ocr=st.booleans())
def test_repair_never_changes_an_address(address: str, ocr: bool) -> None:
    """On a stripped page, and on a page Tesseract read (`ocr`, the default mode's repair)."""
    result = repair_text(BEFORE + address + AFTER, stripped=True, ocr=ocr)
    assert address in result.text
    assert result.text.startswith("Målbilden för")  # the page around it was repaired


@PROPERTY
@given(url=urls(), cut=st.sampled_from(["/", "-"]))
def test_repair_never_changes_a_url_broken_over_lines(url: str, cut: str) -> None:
    head, sep, tail = url.partition(cut)
    if not tail or not tail[0].islower() or not _goes_on(sep, tail):
        return
    printed = f"{BEFORE}{head}{sep}\n{tail}{AFTER}"
    assert repair_text(printed, stripped=True).text.split("\n")[1].startswith(tail)


@PROPERTY
@given(address=st.one_of(urls(), emails()))
def test_convert_keeps_an_address_and_links_it_once(address: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "brev.txt"
        source.write_text(BEFORE + address + AFTER + "\n", "utf-8")
        document = convert(source)
    assert address in document.text
    keys = [addresses.url_key(link.url) for link in document.links]
    assert keys.count(addresses.url_key(address)) == 1, (address, keys)


@PROPERTY
@given(url=urls())
def test_convert_rejoins_a_url_broken_after_a_slash(url: str) -> None:
    """Plain text with a URL broken after the first "/" of its path: one URL, one link."""
    scheme = url.index("//") + 2 if "//" in url else 0
    cut = url.index("/", scheme) + 1
    head, tail = url[:cut], url[cut:]
    if not _goes_on("/", tail):
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "brev.txt"
        source.write_text(f"{BEFORE}{head}\n{tail}{AFTER}\n", "utf-8")
        document = convert(source)
    assert url in document.text
    keys = [addresses.url_key(link.url) for link in document.links]
    assert keys == [addresses.url_key(url)]


def test_known_damage_around_addresses() -> None:
    """The repair's own glyph fix (@ read as Q) still makes an address; `ekeby.io/for-barn`
    keeps its path (issue 21)."""
    text = "Mejla bibliotekQekeby.se eller se ekeby.io/for-barn for barn"
    assert repair_text(text, stripped=True).text == (
        "Mejla bibliotek@ekeby.se eller se ekeby.io/for-barn för barn")


def test_one_definition() -> None:
    assert is_address("info@brfimatra.se") and is_address("ekeby.io")
    assert not is_address("t.ex") and not is_address("slutet.De")
    spans = address_spans("Se https://www.fou.sormland.se/\nlansgemensamt-regionalt-stod/ nu.")
    assert spans == [(3, 61)]
    assert continues_url("på www.ekeby.se/", "for-barn/kalender i dag")
    assert not continues_url("på www.ekeby.se/", "och sedan")
    assert not continues_url("på www.ekeby.se.", "och sedan")


def test_urls_printed_over_lines_in_a_pdf_come_out_whole_and_once() -> None:
    """Fixture ekeby_if_2024_03: a link whose text is a URL printed over three lines (three
    annotations), a URL printed over two lines without a link, and e-mail addresses."""
    document = convert(Path(__file__).parents[1] / "fixtures/pdf/ekeby_if_2024_03.pdf")
    three = "https://www.ekebyif.se/ungdom/lansgemensamt-stod/for-barn-och-unga/"
    two = "https://www.ekeby.se/kultur-och-fritid/foreningsstod/ansok-om-bidrag-for-barn-och-unga/"
    blocks = [b.text for s in document.sections for b in s.blocks]
    for url in (three, two):
        assert document.text.count(url) == 1
        assert sum(url in text for text in blocks) == 1
    # the URL over three lines stays inside the paragraph whose sentence it ends
    assert any(t.startswith("Föreningen har") and f"på {three} där" in t for t in blocks)
    links = [(link.url, link.text) for link in document.links]
    assert (three, three) in links and (two, two) in links
    assert ("mailto:info@ekebyif.se", "info@ekebyif.se") in links
    keys = [addresses.url_key(url) for url, _ in links]
    assert len(keys) == len(set(keys))
    assert not any(k != addresses.url_key(three) and addresses.url_key(three).startswith(k)
                   for k in keys)  # no link cut short


def test_the_word_by_word_search_finds_what_the_whole_page_search_finds() -> None:
    """`address_spans` tries the full pattern only on the words its quick screen picks; it finds
    the same spans as the pattern run over the whole text (any case; ſ and the Kelvin sign fold
    to s and k), on the seeds, the truths and random text."""
    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text("utf-8") for p in sorted(root.parent.glob("shared/seeds/*.txt"))]
    texts += [p.read_text("utf-8") for p in sorted((root / "fixtures/truth").glob("*.md"))]
    rnd = random.Random(23)
    letters = "wW.:/@sSeEcCoOmMnNtTuUfFiIdDkKaApPvVbBgGxX \n-\u017f\u212aåÖ"
    texts += ["".join(rnd.choice(letters) for _ in range(rnd.randint(0, 30))) for _ in range(20000)]
    texts += ["Läs mer på WWW.Example.SE", "skriv till oss på info@ekeby.se", "t.ex. se nedan"]
    for text in texts:
        whole: list[tuple[int, int]] = []
        for m in addresses._PROTECTED.finditer(text):
            if not whole or m.start() >= whole[-1][1]:
                whole.append((m.start(), addresses._continued(text, m.start(), m.end())))
        assert addresses.address_spans(text) == whole, text
