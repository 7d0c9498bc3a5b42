"""The transactional queue: every change reaches the index, nothing phantom appears, nothing is lost."""

from sqlalchemy import func, select
from whoosh.index import TOC

from livinglab.extensions import db
from livinglab.pieces import services
from livinglab.pieces.models import Piece
from livinglab.search import index
from livinglab.search.models import SearchQueueItem
from livinglab.search.query import SearchFilters, search_pieces


def _found(text: str) -> set[int]:
    return {hit.piece.id for hit in search_pieces(text, SearchFilters()).hits}


def _queued() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchQueueItem))


def test_publishing_makes_a_piece_searchable_and_empties_the_queue(make_piece):
    piece = make_piece(title="Loket perizinan keliling")
    assert _found("perizinan keliling") == {piece.id}
    assert _queued() == 0


def test_drafts_are_never_indexed(make_piece):
    make_piece(status="draft", title="Draf perizinan rahasia")
    assert _found("rahasia") == set()
    assert index.indexed_ids() == set()


def test_edit_reindexes(make_piece, make_indicator):
    indicator = make_indicator()
    piece = make_piece(title="Aplikasi antrean puskesmas", indicators=[indicator])
    assert _found("antrean") == {piece.id}  # this process's searcher is open before the edit
    data = services.PieceInput(kind=piece.kind, title="Aplikasi rujukan puskesmas", summary=piece.summary,
                               body=piece.body, language="id", indicator_ids=[indicator.id])
    services.update_piece(piece, piece.author, data)
    db.session.commit()
    assert _found("rujukan") == {piece.id} and _found("antrean") == set()


def test_relation_changes_reindex_the_pieces_that_show_them(make_piece, make_indicator):
    indicator = make_indicator(name_id="Layanan kearsipan")
    piece = make_piece(indicators=[indicator])
    indicator.name_id = "Layanan ketenagakerjaan"
    db.session.commit()
    assert _found("ketenagakerjaan") == {piece.id}
    piece.regency.name = "Kabupaten Sukamaju"
    db.session.commit()
    assert _found("sukamaju") == {piece.id}


def test_archive_and_delete_remove_from_the_index(make_piece):
    archived, deleted = make_piece(title="Praktik arsip lama"), make_piece(title="Praktik arsip dihapus")
    services.archive_piece(archived, archived.author)
    db.session.commit()
    db.session.delete(deleted)
    db.session.commit()
    assert _found("arsip") == set() and index.indexed_ids() == set()


def test_rollback_queues_and_indexes_nothing(make_piece):
    piece = make_piece(title="Judul sebelum rollback")
    piece.title = "Judul hantu"
    db.session.flush()
    assert _queued() == 1
    db.session.rollback()
    assert _queued() == 0 and _found("hantu") == set()


def test_an_early_flush_is_not_lost_at_commit(make_user, make_indicator):
    official = make_user("official")
    data = services.PieceInput(kind=services.PieceKind.PRACTICE, title="Flush lebih awal pelayanan",
                               summary="Ringkasan.", body="Isi.", language="id", indicator_ids=[make_indicator().id])
    piece = services.create_piece(official, official.regency, data)
    db.session.flush()  # the queue row is written here, long before the commit
    services.publish_piece(piece, official)
    db.session.commit()
    assert _found("flush") == {piece.id}


def test_busy_index_leaves_rows_for_the_next_drain(app, make_piece):
    app.config["SEARCH_DRAIN"] = "off"
    try:
        piece = make_piece(title="Menunggu indeks bebas")
        held = index.open_index().writer()
        try:
            assert index.drain(timeout=0.1) == 0
            assert _queued() >= 1
        finally:
            held.cancel()
        assert index.drain_all() >= 1
        assert _queued() == 0 and _found("menunggu") == {piece.id}
    finally:
        app.config["SEARCH_DRAIN"] = "inline"


def test_opening_survives_a_commit_that_removes_the_generation_being_opened(monkeypatch, make_piece):
    make_piece(title="Generasi lama")
    make_piece(title="Generasi baru")  # later commits removed the first generation's files
    real = TOC._latest_generation
    answers = [0]  # the first look sees a generation that another process has just removed

    def racing_look(cls, storage, indexname):
        return answers.pop() if answers else real(storage, indexname)

    monkeypatch.setattr(TOC, "_latest_generation", classmethod(racing_look))
    assert index.open_index().doc_count() == 2


def test_a_crash_between_commit_and_index_write_is_repaired_by_the_next_drain(app, make_piece):
    app.config["SEARCH_DRAIN"] = "off"  # as if the process died right after the database commit
    try:
        piece = make_piece(title="Selamat dari kerusakan")
    finally:
        app.config["SEARCH_DRAIN"] = "inline"
    assert index.drift() == ({piece.id}, set())
    assert index.drain_all() >= 1
    assert index.drift() == (set(), set())


def test_attachment_text_is_searchable(client, make_user, make_indicator, login_as):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("Standar operasional prosedur penyelenggaraan reklame digital")
    buffer = io.BytesIO()
    document.save(buffer)
    login_as(make_user("official"))
    client.post("/pieces/new", data={
        "kind": "practice", "title": "Lampiran yang dapat dicari", "summary": "Ringkasan.", "body": "Isi.",
        "language": "id", "indicators": [str(make_indicator().id)], "action": "publish",
        "attachments": [(io.BytesIO(buffer.getvalue()), "sop.docx")]}, content_type="multipart/form-data")
    piece = db.session.scalars(select(Piece)).one()
    assert _found("reklame") == {piece.id}


def test_renamed_province_aspect_and_domain_reach_the_index(make_piece, make_indicator):
    indicator = make_indicator()
    piece = make_piece(indicators=[indicator])
    piece.regency.province.name = "Provinsi Nusa Harapan"
    db.session.commit()
    assert _found("harapan") == {piece.id}
    indicator.aspect.name_id = "Aspek Ketangguhan Siber"
    indicator.aspect.domain.name_id = "Domain Pelayanan Terpadu"
    db.session.commit()
    assert _found("ketangguhan") == {piece.id} and _found("terpadu") == {piece.id}


def test_rebuild_waits_for_a_busy_index_and_leaves_it_intact(app, make_piece):
    import pytest
    from whoosh.index import LockError

    pieces = {make_piece().id, make_piece().id}
    held = index.open_index().writer()
    app.config["SEARCH_WRITER_TIMEOUT"] = 0.02
    try:
        with pytest.raises(LockError):
            index.rebuild()
    finally:
        held.cancel()
        app.config["SEARCH_WRITER_TIMEOUT"] = 2
    assert index.indexed_ids() == pieces
    assert index.rebuild() == 2 and index.indexed_ids() == pieces


def test_shown_comments_count_towards_their_piece_and_hidden_ones_stop(make_piece, make_user):
    from livinglab.comments import services as comments

    piece, coordinator = make_piece(title="Layanan arsip"), make_user("coordinator")
    comment = comments.add_comment(make_user(), piece, "Kami memakai pemindai bergerak di kecamatan.")
    db.session.commit()
    assert _found("pemindai") == {piece.id}
    comments.hide_comment(comment, coordinator, "Uji moderasi.")
    db.session.commit()
    assert _found("pemindai") == set()


def test_replaced_searchers_are_closed_after_their_grace_period(monkeypatch, make_piece):
    make_piece(title="Pertama")
    first = index.searcher()
    make_piece(title="Kedua")
    second = index.searcher()
    assert second is not first and not first.is_closed
    monkeypatch.setattr(index.time, "monotonic", lambda: 10**9)
    index.searcher()
    assert first.is_closed and not second.is_closed
