"""Segmentation from line geometry and from plain text alone."""

from __future__ import annotations

from pipeline.layout import Line, LinkArea, PageLayout
from pipeline.metadata import detect_language, detect_metadata
from pipeline.segment import segment
from pipeline.textinput import read_text_pages


def line(text: str, top: float, *, x0: float = 60, size: float = 10, bold: bool = False,
         block: int = 0) -> Line:
    return Line(text=text, x0=x0, top=top, x1=x0 + 5 * len(text), bottom=top + size,
                size=size, bold=bold, block=block)


def page(*lines: Line, number: int = 1, links: tuple[LinkArea, ...] = ()) -> PageLayout:
    return PageLayout(number=number, width=595, height=842, lines=lines, links=links)


def test_headings_get_levels_from_their_size_ranking() -> None:
    doc = segment([page(
        line("Nyhetsbrev om barnens bästa", 60, size=20, bold=True),
        line("Inledningen börjar här och fortsätter.", 90),
        line("Vad händer nu?", 120, size=14, bold=True),
        line("Arbetet fortsätter i hela länet.", 140),
        line("Delprojekt", 170, size=11, bold=True),
        line("Gnesta, Strängnäs och Katrineholm deltar.", 186),
    )])
    assert doc.title == "Nyhetsbrev om barnens bästa"
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("Nyhetsbrev om barnens bästa", 1), ("Vad händer nu?", 2), ("Delprojekt", 3)]


def test_paragraph_runs_on_into_the_next_column_and_page() -> None:
    doc = segment([
        page(line("Samverkan ska ske med ett", 100, block=0),
             line("helhetsperspektiv kring barnens", 112, block=0),
             line("bästa i hela Sörmland.", 100, x0=320, block=1),
             line("Under våren har arbetet", 130, x0=320, block=1)),
        page(line("fortsatt på lokal nivå.", 60), number=2),
    ])
    texts = [b.text for s in doc.sections for b in s.blocks]
    assert texts == [
        "Samverkan ska ske med ett helhetsperspektiv kring barnens bästa i hela Sörmland.",
        "Under våren har arbetet fortsatt på lokal nivå.",
    ]


def test_bullets_with_hanging_indent_are_list_items() -> None:
    doc = segment([page(
        line("Exempel på det vi gör:", 100),
        line("• Dialog och diskussioner kring", 116, x0=64),
        line("nya arbetssätt i länet", 128, x0=76),
        line("• Kartläggningen av samverkan", 144, x0=64),
        line("Efter listan kommer en vanlig mening.", 166),
    )])
    blocks = [(b.type, b.text) for s in doc.sections for b in s.blocks]
    assert blocks == [
        ("paragraph", "Exempel på det vi gör:"),
        ("list_item", "Dialog och diskussioner kring nya arbetssätt i länet"),
        ("list_item", "Kartläggningen av samverkan"),
        ("paragraph", "Efter listan kommer en vanlig mening."),
    ]


def test_a_number_continuing_a_sentence_is_no_list_item() -> None:
    doc = segment(read_text_pages("Ring oss på 0155-24 68\n12. Det är gratis.\n"))
    assert [b.type for s in doc.sections for b in s.blocks] == ["paragraph"]


def test_closing_and_signature() -> None:
    doc = segment(read_text_pages(
        "Vi önskar er en God Jul!\n\nVänliga häsningar\n\nNettan Eliasson & Lisa Sund\n"))
    blocks = [(b.type, b.text) for s in doc.sections for b in s.blocks]
    assert blocks == [("paragraph", "Vi önskar er en God Jul!"), ("closing", "Vänliga häsningar"),
                      ("signature", "Nettan Eliasson & Lisa Sund")]


def test_url_printed_twice_is_kept_once_and_links_are_unique() -> None:
    url = "https://www.falun.se/utbildning--barnomsorg/tillsammans-for-varje-barn.html"
    doc = segment(read_text_pages(f"Läs mer på webben.\n{url}\n{url}\n"))
    assert doc.text.count(url) == 1
    assert [link.url for link in doc.links] == [url]


def test_link_annotation_gives_url_and_text() -> None:
    area = LinkArea(url="https://bibliotek.ekeby.se/kalender", text="programmet")
    doc = segment([page(line("Hela programmet finns på webben.", 100), links=(area,))])
    assert [(k.url, k.text, k.page) for k in doc.links] == [
        ("https://bibliotek.ekeby.se/kalender", "programmet", 1)]


def test_plain_text_headings_and_sub_headings() -> None:
    doc = segment(read_text_pages(
        "Nyhetsbrev\n\nInledning om arbetet.\n\nVad händer framåt?\nNPF – delprojekt\n\n"
        "Under juni tog styrgruppen beslut.\n"))
    assert [(s.heading, s.level) for s in doc.sections] == [
        ("Nyhetsbrev", 1), ("Vad händer framåt?", 2), ("NPF – delprojekt", 3)]


def test_metadata_from_the_masthead() -> None:
    doc = segment(read_text_pages("Biblioteksnytt\n\nNr 3/2023 · 15 september 2023\n\nVälkommen "
                                  "till höstens nyhetsbrev från biblioteket.\n"))
    meta = detect_metadata(doc, {}, detect_language(doc.text))
    assert (meta.title, meta.date, meta.issue, meta.language) == (
        "Biblioteksnytt", "2023-09-15", "Nr 3/2023", "sv")


def test_language_of_an_english_text() -> None:
    assert detect_language("The members agreed that the new fans will be installed in May.") == "en"


def test_a_url_printed_over_lines_is_one_paragraph_and_one_link() -> None:
    """Issue 14: `https://www.fou.sormland.se/` + `lansgemensamt-regionalt-stod/...` on the next
    lines were two paragraphs and two links, one cut short."""
    whole = "https://www.fou.sormland.se/lansgemensamt-regionalt-stod/tillsammans-for-barnens/"
    doc = segment([page(
        line("Läs mer om arbetet på vår webbplats:", 100),
        line("https://www.fou.sormland.se/", 112),
        line("lansgemensamt-regionalt-stod/", 124),
        line("tillsammans-for-barnens/", 136),
        line("Nästa stycke börjar här.", 160),
    )])
    assert whole in doc.text
    assert [(k.url, k.text) for k in doc.links] == [(whole, whole)]


def test_an_annotation_over_the_first_line_of_a_url_takes_the_whole_printing() -> None:
    whole = "https://www.fou.sormland.se/lansgemensamt-regionalt-stod/"
    area = LinkArea(url="https://www.fou.sormland.se/", text="https://www.fou.sormland.se/",
                    x0=75, top=100, x1=215, bottom=110)
    doc = segment([page(line("Se https://www.fou.sormland.se/", 100),
                        line("lansgemensamt-regionalt-stod/ för mer.", 112), links=(area,))])
    assert [(k.url, k.text) for k in doc.links] == [(whole, whole)]


def test_a_link_to_a_site_is_not_taken_for_a_longer_url_elsewhere_on_the_page() -> None:
    area = LinkArea(url="https://www.hsb.se/", text="https://www.hsb.se/",
                    x0=75, top=100, x1=170, bottom=110)
    doc = segment([page(line("Se https://www.hsb.se/", 100),
                        line("Kontakt på https://www.hsb.se/kontakt/ i dag.", 200), links=(area,))])
    assert [(k.url, k.text) for k in doc.links] == [
        ("https://www.hsb.se/", "https://www.hsb.se/"),
        ("https://www.hsb.se/kontakt/", "https://www.hsb.se/kontakt/")]


def test_printed_email_is_a_mailto_link_once() -> None:
    doc = segment(read_text_pages(
        "Skriv till info@brfimatra.se eller ring.\n\nFrågor? Mejla info@brfimatra.se.\n"))
    assert [(k.url, k.text) for k in doc.links] == [
        ("mailto:info@brfimatra.se", "info@brfimatra.se")]


def test_a_url_line_inside_a_sentence_stays_in_its_paragraph() -> None:
    doc = segment([page(
        line("Hur bidraget fungerar beskrivs på", 100),
        line("https://www.ekebyif.se/ungdom/", 112),
        line("där det också finns en blankett.", 124),
        line("Läs mer på webben:", 148),
        line("https://www.ekeby.se/kultur/", 160),
        line("https://www.ekeby.se/idrott/", 172),
    )])
    assert [b.text for s in doc.sections for b in s.blocks] == [
        "Hur bidraget fungerar beskrivs på https://www.ekebyif.se/ungdom/ där det också finns en "
        "blankett.",
        "Läs mer på webben:", "https://www.ekeby.se/kultur/", "https://www.ekeby.se/idrott/"]


def test_a_link_text_that_is_an_address_leaves_the_sentence_its_full_stop() -> None:
    area = LinkArea(url="mailto:doug@ekeby.se", text="doug@ekeby.se.")
    doc = segment([page(line("Frågor till doug@ekeby.se.", 100), links=(area,))])
    assert [(k.url, k.text) for k in doc.links] == [("mailto:doug@ekeby.se", "doug@ekeby.se")]


def test_numbered_and_lettered_items_keep_their_markers_as_printed() -> None:
    """A bullet is dropped from an item's text; a number or letter is text the reader reads."""
    doc = segment([page(
        line("Så gör du:", 100),
        line("1. Besök oss på torsdag.", 116),
        line("2. Ta med lånekortet.", 132),
        line("Val av styrelse", 160, size=12, bold=True),
        line("a) Ordinarie ledamöter", 180),
        line("Valberedningen föreslår omval av alla.", 194),
        line("b) Suppleanter", 216),
        line("• Kaffe efteråt.", 240),
    )])
    blocks = [(b.type, b.text) for s in doc.sections for b in s.blocks]
    assert ("list_item", "1. Besök oss på torsdag.") in blocks
    assert ("list_item", "2. Ta med lånekortet.") in blocks
    assert ("list_item", "b) Suppleanter") in blocks
    assert ("list_item", "Kaffe efteråt.") in blocks
    assert "• 1. Besök" not in doc.text and "1. Besök oss" in doc.text
