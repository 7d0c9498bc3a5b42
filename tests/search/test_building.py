"""Full rebuilds: the segment writer of building.py writes what Whoosh's writer writes, and a rebuild in
several processes finds what a rebuild in one finds, and fails without harming the index."""

import random

import pytest
from whoosh import index as whoosh_index
from whoosh.index import TOC

from livinglab.search import building, index
from livinglab.search.documents import schema
from livinglab.search.query import SearchFilters, search_pieces

WORDS = ["perizinan", "data", "pelayanan", "pusat", "aplikasi", "desa", "sistem", "arsip", "yang", "Café",
         "tanda", "tangan", "elektronik", "licensing", "services", "I45", "e-budgeting", "masyarakat"]


def _documents(count: int) -> list[dict]:
    rng = random.Random(12)
    documents = []
    for number in range(count):
        words = " ".join(rng.choices(WORDS, k=rng.randint(1, 60)))
        documents.append({
            "id": str(number), "title": words[:40], "text": words, "pairs": words, "title_en": words[:30],
            "text_en": words, "words": words[:80], "codes": "I45 I01"[: rng.randint(0, 7)], "kind": "practice",
            "domain": str(rng.randint(1, 4)), "indicator": "i45", "province": "32", "regency": "3211",
            "year": "2025", "language": rng.choice(["id", "en"]), "published": 1_700_000_000 + number,
        })
    return documents


def _contents(ix) -> tuple:
    """Every term of every field with its statistics and postings, every length and stored field."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        terms = []
        for field, text in reader.all_terms():
            info = reader.term_info(field, text)
            postings = list(reader.postings(field, text).all_items())
            terms.append((field, text, info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                          info.max_weight(), postings))
        names = schema().names()
        lengths = [(n, f, reader.doc_field_length(n, f)) for n in range(reader.doc_count_all()) for f in names]
        return terms, lengths, list(reader.all_stored_fields())


def test_the_build_writer_writes_the_segment_whoosh_writes(tmp_path, monkeypatch):
    documents = _documents(300)
    (tmp_path / "whoosh").mkdir()
    (tmp_path / "built").mkdir()
    expected = whoosh_index.create_in(str(tmp_path / "whoosh"), schema())
    with expected.writer() as writer:
        for document in documents:
            writer.add_document(**document)

    monkeypatch.setattr(building, "CHUNK", 7)  # several chunks per spill file
    built = whoosh_index.create_in(str(tmp_path / "built"), schema())
    parent = built.writer()
    writer = building.BuildWriter(built, schema=schema(), _lk=False)
    writer.pool.max_items = 500  # the postings spill to disk several times
    for document in documents:
        writer.add_document(**document)
    segment = writer.finish()
    parent._close_segment()
    parent._commit_toc([segment])
    parent._finish()

    assert _contents(whoosh_index.open_dir(str(tmp_path / "built"))) == _contents(expected)
    assert not list((tmp_path / "built").glob("*.run")) and not list((tmp_path / "built").glob("*.tmp"))


def _found(text: str) -> list[int]:
    return [hit.piece.id for hit in search_pieces(text, SearchFilters()).hits]


@pytest.fixture
def pieces(make_piece):
    return [make_piece(title=title, summary=summary).id for title, summary in [
        ("Perizinan daring", "Izin usaha lewat aplikasi."),
        ("Pusat data daerah", "Data seluruh perangkat daerah di satu pusat data."),
        ("Tanda tangan elektronik", "Dokumen ditandatangani secara elektronik."),
        ("Arsip digital", "Pengelolaan arsip dinamis."),
        ("Layanan pengaduan", "Pengaduan masyarakat ditanggapi dalam tiga hari."),
    ]]


def test_a_rebuild_in_two_processes_finds_what_a_rebuild_in_one_finds(app, pieces, monkeypatch):
    queries = ["perizinan", "data", '"tanda tangan"', "pengaduan masyarakat", "arsip elektronik"]
    assert index.rebuild() == len(pieces)
    one = [_found(query) for query in queries]

    monkeypatch.setattr(index, "MIN_PART", 1)
    app.config["SEARCH_BUILD_PROCS"] = 2
    progress: list[int] = []
    try:
        assert index.rebuild(progress=progress.append) == len(pieces)
    finally:
        app.config["SEARCH_BUILD_PROCS"] = 1
    assert sum(progress) == len(pieces)
    assert len(TOC.read(index.open_index().storage, "MAIN").segments) == 2
    assert index.indexed_ids() == set(pieces)
    # segments in the order of the parts, whichever process finished first: the same document order
    assert [int(fields["id"]) for fields in index.searcher().all_stored_fields()] == sorted(pieces)
    assert [_found(query) for query in queries] == one
    assert all(one)


def test_a_failing_indexing_process_leaves_the_index_as_it_was(app, pieces, monkeypatch):
    index.rebuild()
    before = index.indexed_ids()
    real = index.piece_document

    def failing(piece, extra_text=""):
        if piece.id == pieces[-1]:
            raise ValueError("a piece that cannot be indexed")
        return real(piece, extra_text)

    monkeypatch.setattr(index, "piece_document", failing)
    monkeypatch.setattr(index, "MIN_PART", 1)
    app.config["SEARCH_BUILD_PROCS"] = 2
    try:
        with pytest.raises(RuntimeError, match="a piece that cannot be indexed"):
            index.rebuild()
    finally:
        app.config["SEARCH_BUILD_PROCS"] = 1
    assert index.indexed_ids() == before and _found("pengaduan") == [pieces[-1]]
    monkeypatch.setattr(index, "piece_document", real)
    assert index.rebuild() == len(pieces)  # the lock was released


def test_a_rebuild_writes_the_schema_in_code(app, pieces):
    index.forget_searchers()
    old = schema()
    old.remove("pairs")
    whoosh_index.create_in(app.config["SEARCH_INDEX_DIR"], old)
    assert index.rebuild() == len(pieces)
    assert index.open_index().schema.names() == schema().names()
    assert _found('"pusat data"') == [pieces[1]]
