"""Publishing rules: drafts, revisions, publish, archive, restore, audit."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from livinglab.audit.models import AuditEvent
from livinglab.extensions import db
from livinglab.pieces import attachments, services
from livinglab.pieces.models import PieceKind, PieceStatus


def _input(indicators, **fields):
    values = {
        "kind": PieceKind.PRACTICE,
        "title": "Perizinan daring satu pintu",
        "summary": "Ringkasan.",
        "body": "## Masalah\n\nIsi.",
        "language": "id",
        "indicator_ids": [i.id for i in indicators],
        "tags": [],
    }
    values.update(fields)
    return services.PieceInput(**values)


def _actions(piece):
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(piece.id))).all()


def test_create_makes_a_draft_with_a_first_revision(make_user, make_indicator):
    official = make_user("official")
    indicator = make_indicator()
    piece = services.create_piece(official, official.regency, _input([indicator], tags=["tte", "perizinan"]))
    db.session.commit()
    assert piece.status is PieceStatus.DRAFT and piece.regency_code == official.regency_code
    assert piece.slug == "perizinan-daring-satu-pintu"
    assert [r.number for r in piece.revisions] == [1]
    assert piece.revisions[0].indicator_codes == [indicator.code]
    assert [t.name for t in piece.tags] == ["perizinan", "tte"]
    assert "piece.created" in _actions(piece)


def test_every_edit_keeps_a_revision_but_an_unchanged_save_does_not(make_user, make_indicator):
    official = make_user("official")
    first, second = make_indicator(), make_indicator()
    piece = services.create_piece(official, official.regency, _input([first]))
    assert services.update_piece(piece, official, _input([first, second], body="## Masalah\n\nIsi baru."), "tambah")
    assert not services.update_piece(piece, official, _input([first, second], body="## Masalah\n\nIsi baru."))
    db.session.commit()
    assert [r.number for r in piece.revisions] == [1, 2]
    latest = piece.revisions[-1]
    assert latest.note == "tambah" and latest.indicator_codes == [first.code, second.code]
    assert latest.author_id == official.id


def test_publishing_needs_an_indicator_a_summary_and_a_body(make_user, make_indicator):
    official = make_user("official")
    piece = services.create_piece(official, official.regency, _input([]))
    with pytest.raises(services.PieceError) as error:
        services.publish_piece(piece, official)
    assert error.value.field == "indicators"
    services.update_piece(piece, official, _input([make_indicator()], summary=""))
    with pytest.raises(services.PieceError):
        services.publish_piece(piece, official)
    services.update_piece(piece, official, _input([make_indicator()]))
    services.publish_piece(piece, official)
    db.session.commit()
    assert piece.status is PieceStatus.PUBLISHED and piece.published_at is not None
    assert "piece.published" in _actions(piece)


def test_archive_and_restore_are_audited(make_piece):
    piece = make_piece()
    author = piece.author
    services.archive_piece(piece, author)
    assert piece.status is PieceStatus.ARCHIVED
    services.restore_piece(piece, author)
    db.session.commit()
    assert piece.status is PieceStatus.PUBLISHED
    assert {"piece.archived", "piece.restored"} <= set(_actions(piece))


def test_restoring_a_never_published_piece_gives_back_a_draft(make_piece):
    piece = make_piece(status="draft")
    services.archive_piece(piece, piece.author)
    services.restore_piece(piece, piece.author)
    assert piece.status is PieceStatus.DRAFT


def test_levels_are_kept_only_for_case_studies(make_user, make_indicator):
    official = make_user("official")
    indicator = make_indicator()
    levels = {indicator.id: (2, 4)}
    piece = services.create_piece(
        official, official.regency, _input([indicator], kind=PieceKind.CASE_STUDY, levels=levels)
    )
    assert (piece.targets[0].level_before, piece.targets[0].level_after) == (2, 4)
    services.update_piece(piece, official, _input([indicator], levels=levels))
    assert (piece.targets[0].level_before, piece.targets[0].level_after) == (None, None)


def test_period_must_not_end_before_it_starts(make_user, make_indicator):
    from datetime import date

    official = make_user("official")
    with pytest.raises(services.PieceError):
        services.create_piece(
            official,
            official.regency,
            _input(
                [make_indicator()],
                kind=PieceKind.CASE_STUDY,
                period_start_on=date(2025, 5, 1),
                period_end_on=date(2025, 1, 1),
            ),
        )


def test_unknown_indicator_is_refused(make_user):
    official = make_user("official")
    with pytest.raises(services.PieceError):
        services.create_piece(official, official.regency, services.PieceInput(
            kind=PieceKind.PRACTICE, title="Judul", summary="", body="", language="id", indicator_ids=[987654]))


def test_coordinator_edits_are_audited(make_piece, make_user, make_indicator):
    piece = make_piece()
    coordinator = make_user("coordinator")
    services.update_piece(piece, coordinator, _input([make_indicator()], title="Judul diperbaiki koordinator"))
    db.session.commit()
    assert "piece.edited_by_coordinator" in _actions(piece)


def test_parse_tags():
    assert services.parse_tags(" Perizinan, TTE ,, perizinan,  satu   data ") == ["perizinan", "tte", "satu data"]


def test_files_of_a_transaction_that_is_not_committed_are_removed(make_user, make_indicator, app):
    official = make_user("official")
    piece = services.create_piece(official, official.regency, _input([make_indicator()]))
    db.session.commit()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def attach(name: str):
        upload = FileStorage(io.BytesIO(pdf), filename=name, content_type="application/pdf")
        stored = attachments.store_uploads(piece, attachments.check_uploads(piece, [upload]), official)[0]
        return Path(app.config["UPLOAD_DIR"]) / stored.stored_name

    failed = attach("gagal.pdf")
    with db.session.begin_nested():  # a savepoint released on the way is not the commit
        pass
    assert failed.exists()
    db.session.rollback()  # what a failed commit ends with
    assert not failed.exists()
    kept = attach("laporan.pdf")
    db.session.commit()
    db.session.rollback()
    assert kept.exists() and [a.original_name for a in piece.attachments] == ["laporan.pdf"]
