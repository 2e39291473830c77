"""The search index (pipeline/index/): every block findable, å/ä/ö kept apart (and folded on
request), incremental updates, and an interrupted run that a rerun finishes exactly.

The born-digital fixtures are converted once per session (conftest's converted_json) and
judged against their truths (fixtures/truth/*.md).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from fixtures.truth import parse_truth
from pipeline.cli import main
from pipeline.index.build import build_index
from pipeline.index.schema import FOLDED_FTS_TABLE, FTS_TABLE
from pipeline.index.search import fts_query, search
from tests.conftest import FIXTURES, fixture_file

#: The fixtures with a truth of their own, born digital (the text layer is the truth's text).
STEMS = sorted(path.stem for path in (FIXTURES / "truth").glob("*.md"))
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """What `remove_diacritics 2` does to a word, near enough: marks off, case folded."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory, converted_json) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("outputs")
    for stem in STEMS:
        fixture_file(f"pdf/{stem}.pdf")
        (folder / f"{stem}.json").write_text(converted_json(f"{stem}.pdf"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(outputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("index") / "archive.db"
    summary = build_index(outputs, db)
    assert summary.added == len(STEMS) and not summary.skipped
    return db


def rows(db: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def truth_words(stem: str) -> list[str]:
    return words(parse_truth((FIXTURES / "truth" / f"{stem}.md").read_text("utf-8")).text)


def truth_blocks(stem: str) -> list[str]:
    """Each block of the truth as its words, one space apart, with a space at either end (a
    table of contents' entries aside: their page numbers are printed after dot leaders)."""
    truth = parse_truth((FIXTURES / "truth" / f"{stem}.md").read_text("utf-8"))
    return [f" {' '.join(words(block.text))} " for block in truth.blocks
            if block.kind != "toc_entry"]


def hit_documents(db: Path, query: str, folded: bool = False) -> set[str]:
    return {hit.document.removesuffix(".json") for hit in search(db, query, folded=folded,
                                                                limit=10_000)}


def test_every_block_is_found_by_its_own_words(archive: Path) -> None:
    blocks = rows(archive, "select id, text from blocks")
    assert len(blocks) > 100
    for block_id, text in blocks:
        tokens = WORD.findall(text)
        if not tokens:
            continue
        hits = search(archive, '"' + " ".join(tokens) + '"', limit=10_000)
        assert block_id in {hit.block for hit in hits}, text


@pytest.mark.parametrize("word", ["för", "år", "där", "även"])
def test_a_word_with_rings_finds_exactly_the_blocks_and_documents_that_hold_it(
        archive: Path, word: str) -> None:
    hits = search(archive, word, limit=10_000)
    holding = {block_id for block_id, text, heading in rows(
        archive, "select id, text, coalesce(heading, '') from blocks")
        if word in words(text) or word in words(heading)}
    assert {hit.block for hit in hits} == holding
    truths = {stem for stem in STEMS if word in truth_words(stem)}
    assert truths, word
    assert {hit.document.removesuffix(".json") for hit in hits} == truths
    snippets = " ".join(hit.snippet for hit in hits)
    assert f"**{word}**" in snippets.casefold()


def blocks_holding(db: Path, keep) -> set[int]:  # type: ignore[no-untyped-def]
    """The blocks whose text or heading has a word for which keep(word) holds."""
    return {block_id for block_id, text, heading in rows(
        db, "select id, text, coalesce(heading, '') from blocks")
        if any(keep(w) for w in words(text) + words(heading))}


def test_ringless_spelling_is_kept_apart_unless_folded(archive: Path) -> None:
    plain = {hit.block for hit in search(archive, "for", limit=10_000)}
    assert plain == blocks_holding(archive, lambda w: w == "for")
    folded = {hit.block for hit in search(archive, "for", folded=True, limit=10_000)}
    assert folded == blocks_holding(archive, lambda w: fold(w) == "for")
    with_rings = {hit.block for hit in search(archive, "för", limit=10_000)}
    assert with_rings - plain  # för is not for
    assert folded >= with_rings | plain and folded > plain
    assert {hit.block for hit in search(archive, "för", folded=True, limit=10_000)} == folded
    assert hit_documents(archive, "for", folded=True) == {
        stem for stem in STEMS if "for" in map(fold, truth_words(stem))}


def line_end_pairs(stem: str) -> list[tuple[str, str]]:
    """Word pairs that the fixture PDF breaks across a line end (last word of one line, first
    of the next) and that a block of its truth holds as neighbours."""
    blocks = truth_blocks(stem)
    pairs: list[tuple[str, str]] = []
    with pdfplumber.open(FIXTURES / "pdf" / f"{stem}.pdf") as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            for first, second in zip(lines, lines[1:], strict=False):
                a, b = words(first), words(second)
                if a and b and not first.rstrip().endswith("-") \
                        and any(f" {a[-1]} {b[0]} " in block for block in blocks):
                    pairs.append((a[-1], b[0]))
    return pairs


def test_a_phrase_across_a_line_end_is_found_where_the_truths_hold_it(archive: Path) -> None:
    checked = 0
    for stem in STEMS:
        for a, b in line_end_pairs(stem)[:5]:
            phrase = f"{a} {b}"
            expected = {s for s in STEMS if any(f" {phrase} " in block
                                                for block in truth_blocks(s))}
            assert stem in expected
            assert hit_documents(archive, f'"{phrase}"') == expected, phrase
            checked += 1
    assert checked >= 10


def test_query_words_are_quoted_so_punctuation_is_no_syntax() -> None:
    assert fts_query('e-post AND "god jul"') == '"e-post" "AND" "god jul"'
    assert fts_query('"') == ""


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (timestamps aside) and the FTS indexes' answers."""
    tables = {table: rows(db, f"select * from [{table}] order by 1")
              for table in ("documents", "sections", "blocks", "links", "repairs")}
    tables["documents"] = [row[:-1] for row in tables["documents"]]  # indexed_at last
    for table in (FTS_TABLE, FOLDED_FTS_TABLE):
        rows(db, f"insert into [{table}]([{table}]) values('integrity-check')")
        tables[table] = rows(db, f"select rowid from [{table}] where [{table}] match ? "
                                 "order by rowid", '"och" OR "for" OR "år"')
    return tables


def test_reindexing_touches_only_the_changed_file_and_removes_a_removed_one(
        outputs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(outputs, folder)
    db = tmp_path / "archive.db"
    build_index(folder, db, now=lambda: "first")
    counts = dict(rows(db, "select path, blocks from documents"))
    changed, removed = f"{STEMS[0]}.json", f"{STEMS[1]}.json"
    document = json.loads((folder / changed).read_text("utf-8"))
    document["source"]["sha256"] = "0" * 64  # as when the input PDF was edited and converted
    document["sections"][-1]["blocks"][-1]["text"] = "Zyxonbergska sällskapet"
    (folder / changed).write_text(json.dumps(document, ensure_ascii=False), "utf-8")

    summary = build_index(folder, db, now=lambda: "second")
    assert (summary.added, summary.updated, summary.removed) == (0, 1, 0)
    assert summary.unchanged == len(STEMS) - 1
    stamps = dict(rows(db, "select path, indexed_at from documents"))
    assert {path for path, stamp in stamps.items() if stamp == "second"} == {changed}
    assert dict(rows(db, "select path, blocks from documents")) == counts
    assert hit_documents(db, "zyxonbergska") == {STEMS[0]}

    total = rows(db, "select count(*) from blocks")[0][0]
    (folder / removed).unlink()
    summary = build_index(folder, db, now=lambda: "third")
    assert (summary.removed, summary.unchanged) == (1, len(STEMS) - 1)
    assert rows(db, "select count(*) from blocks")[0][0] == total - counts[removed]
    assert not rows(db, "select 1 from documents where path = ?", removed)
    for table in ("sections", "links", "repairs", "blocks"):
        assert not rows(db, f"select 1 from [{table}] where document not in "
                            "(select id from documents)"), table
    assert STEMS[1] not in hit_documents(db, "och")
    assert snapshot(db)  # the FTS indexes pass their integrity check


class Interrupted(Exception):
    pass


def test_an_interrupted_run_finished_by_a_rerun_gives_the_same_database(
        outputs: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    build_index(outputs, whole, now=lambda: "t")
    seen: list[str] = []

    def stop_at_the_third(path: str) -> None:
        seen.append(path)
        if len(seen) == 3:
            raise Interrupted(path)

    broken = tmp_path / "broken.db"
    with pytest.raises(Interrupted):
        build_index(outputs, broken, before_commit=stop_at_the_third, now=lambda: "t")
    assert rows(broken, "select count(*) from documents")[0][0] == 2  # the third rolled back
    assert snapshot(broken)
    summary = build_index(outputs, broken, now=lambda: "t")
    assert (summary.added, summary.unchanged) == (len(STEMS) - 2, 2)
    assert snapshot(broken) == snapshot(whole)


def test_cli_index_and_search(outputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(outputs), "-o", str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["search", str(db), "för", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert len(hits) == 3
    assert {"document", "title", "date", "page", "heading", "snippet"} <= set(hits[0])
    result = runner.invoke(main, ["search", str(db), "för", "--limit", "1"])
    assert result.exit_code == 0 and "**" in result.stdout
    result = runner.invoke(main, ["search", str(db), "NEAR(", "--raw"])
    assert result.exit_code == 2


def test_datasette_serves_the_archive_with_its_metadata(archive: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    metadata = json.loads((archive.parent / "metadata.json").read_text("utf-8"))
    tables = metadata["databases"][archive.stem]["tables"]
    assert tables["blocks"]["fts_table"] == FTS_TABLE
    assert {"date", "method"} <= set(tables["documents"]["facets"])
    assert {"type", "method"} <= set(tables["blocks"]["facets"])

    async def get(ds, path: str):  # type: ignore[no-untyped-def]
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    async def check() -> None:
        ds = datasette_app.Datasette([str(archive)], metadata=metadata)
        name = archive.stem
        found = await get(ds, f"/{name}/blocks.json?_search=för&_shape=objects")
        assert found["rows"] and all("för" in words(row["text"]) or "för" in words(
            row["heading"] or "") for row in found["rows"])
        facets = await get(ds, f"/{name}/documents.json?_facet=date&_facet=method")
        assert set(facets["facet_results"]) >= {"date", "method"}
        folded = await get(ds, f"/{name}/search_folded.json?q=for&_shape=objects")
        plain = await get(ds, f"/{name}/search.json?q=for&_shape=objects")
        assert len(folded["rows"]) > len(plain["rows"])

    asyncio.run(check())


def test_batch_with_index_converts_then_indexes(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(fixture_file("pdf/brf_granen_2023_12.pdf"), inputs)
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(main, ["batch", str(inputs), "-o", str(tmp_path / "out"),
                                       "--jobs", "1", "-q", "--index", str(db)])
    assert result.exit_code == 0, result.output
    assert hit_documents(db, '"god jul"') == {"brf_granen_2023_12"}
    assert (tmp_path / "metadata.json").is_file()


@pytest.mark.corpus
def test_real_documents_every_block_and_ring_word_found_as_their_truths_say(
        tmp_path: Path) -> None:
    from pipeline.batch.executors import convert_to_json
    from pipeline.options import Options
    from tests.conftest import missing
    from tests.quality import real_pdfs, truth_for

    pdfs = real_pdfs()
    if not pdfs:
        missing("../shared/corpus/sv with its truths")
    folder = tmp_path / "out"
    folder.mkdir()
    for pdf in pdfs:
        (folder / f"{pdf.stem}.json").write_text(
            convert_to_json(pdf, pdf.name, Options(jobs=2)), encoding="utf-8")
    db = tmp_path / "real.db"
    assert build_index(folder, db).added == len(pdfs)
    for block_id, text in rows(db, "select id, text from blocks"):
        tokens = WORD.findall(text)
        if tokens:
            hits = search(db, '"' + " ".join(tokens) + '"', limit=10_000)
            assert block_id in {hit.block for hit in hits}, text
    truths = {pdf.stem: words(truth_for(pdf).text) for pdf in pdfs}
    for word in ("för", "är", "på"):
        expected = {stem for stem, found in truths.items() if word in found}
        assert expected, word
        assert hit_documents(db, word) == expected, word
        folded = {stem for stem, found in truths.items() if fold(word) in map(fold, found)}
        assert hit_documents(db, fold(word), folded=True) == folded, word


def test_a_file_that_is_no_index_is_one_error_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all" * 100)
    runner = CliRunner()
    result = runner.invoke(main, ["search", str(bogus), "för"])
    assert result.exit_code == 3 and "not an index" in result.stderr
    result = runner.invoke(main, ["index", str(tmp_path), "-o", str(bogus)])
    assert result.exit_code == 9 and "cannot open or create" in result.stderr


KILLED_MID_RUN = """
import os, signal, sys
from pathlib import Path
from pipeline.index.build import build_index

done = []
def kill_in_the_third(path):
    done.append(path)
    if len(done) == 3:
        os.kill(os.getpid(), signal.SIGKILL)  # no cleanup at all, its transaction open

build_index(Path(sys.argv[1]), Path(sys.argv[2]), before_commit=kill_in_the_third,
            now=lambda: "t")
"""


def test_a_killed_indexer_rerun_gives_the_same_database(outputs: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    whole = tmp_path / "whole.db"
    build_index(outputs, whole, now=lambda: "t")
    killed = tmp_path / "killed.db"
    process = subprocess.run([sys.executable, "-c", KILLED_MID_RUN, str(outputs), str(killed)],
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                             text=True, timeout=300)
    assert process.returncode == -9, process.stderr
    assert rows(killed, "select count(*) from documents")[0][0] == 2
    build_index(outputs, killed, now=lambda: "t")
    assert snapshot(killed) == snapshot(whole)


def test_folded_index_finds_what_an_old_ocr_layer_wrote_without_rings(tmp_path: Path) -> None:
    """The old OCR layer of sormland_2022_06, kept as read (no repair): its `för` is mostly
    `for`; only the folded index finds those blocks."""
    from pipeline.batch.executors import convert_to_json
    from pipeline.options import Options

    pdf = fixture_file("pdf/sormland_2022_06-old-ocr-layer.pdf")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "old.json").write_text(
        convert_to_json(pdf, pdf.name, Options(ocr="never", repair=False)), encoding="utf-8")
    db = tmp_path / "old.db"
    build_index(folder, db)
    plain = {hit.block for hit in search(db, "för", limit=1_000)}
    folded = {hit.block for hit in search(db, "för", folded=True, limit=1_000)}
    assert folded == blocks_holding(db, lambda w: fold(w) == "for")
    assert len(folded) > 2 * len(plain)
    assert "för" in truth_words("sormland_2022_06")  # the word the layer lost its dots in
