"""Two people editing one piece: the second save based on an old version gets a conflict page, never a 500
and never a silent overwrite."""

import re
import threading

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from livinglab.accounts.signins import start_sign_in
from livinglab.extensions import db
from livinglab.pieces import services
from livinglab.pieces.models import Piece, PieceStatus


def _loaded_version_in(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _loaded_version(client, piece) -> str:
    return _loaded_version_in(client.get(f"/pieces/{piece.id}/edit").get_data(as_text=True))


def _form(piece, version, **overrides):
    data = {"kind": "practice", "title": piece.title, "summary": "Ringkasan singkat.", "body": "Isi awal.",
            "language": "id", "indicators": [str(t.indicator_id) for t in piece.targets], "tags": "perizinan",
            "action": "save", "version": version}
    data.update(overrides)
    return data


def _saved_body(piece_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Piece, piece_id).body


def test_the_second_save_from_the_same_version_gets_the_conflict_page_with_its_text(client, make_piece, make_user,
                                                                                    login_as):
    piece = make_piece(body="Isi awal.")
    colleague = make_user("official", regency=piece.regency)
    login_as(piece.author)
    version = _loaded_version(client, piece)
    first = client.post(f"/pieces/{piece.id}/edit", data=_form(piece, version, body="Isi dari Ani: antrean pendek."))
    assert first.status_code == 302

    login_as(colleague)
    second = client.post(f"/pieces/{piece.id}/edit", data=_form(
        piece, version, body="Isi dari Budi: loket daring.", tags="perizinan, loket baru", note="versi Budi"))
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Orang lain menyimpan tulisan ini selagi Anda menyuntingnya" in page  # in the user's language
    assert "\nIsi dari Budi: loket daring.</textarea>" in page and 'value="perizinan, loket baru"' in page
    assert 'value="versi Budi"' in page
    assert "Isi dari <del>Ani:</del><ins>Budi:</ins>" in page and "<del>pendek.</del><ins>daring.</ins>" in page
    assert _saved_body(piece.id) == "Isi dari Ani: antrean pendek."  # nothing overwritten

    third = client.post(f"/pieces/{piece.id}/edit", data=_form(piece, _loaded_version_in(page),
                                                               body="Isi gabungan Ani dan Budi."))
    assert third.status_code == 302 and _saved_body(piece.id) == "Isi gabungan Ani dan Budi."


def test_a_missing_or_altered_version_is_a_conflict_not_an_overwrite(client, make_piece, login_as):
    piece = make_piece(body="Isi awal.")
    login_as(piece.author)
    for version in ("", "abc", "99999999999999"):
        response = client.post(f"/pieces/{piece.id}/edit", data=_form(piece, version, body="Tanpa versi."))
        assert response.status_code == 409
    assert _saved_body(piece.id) == "Isi awal."


def test_a_row_changed_between_reading_and_writing_answers_with_the_conflict_page(client, make_piece, login_as,
                                                                                  monkeypatch):
    """Another session saves after this request read the piece: the version in the UPDATE catches it."""
    piece = make_piece(body="Isi awal.")
    login_as(piece.author)
    version = _loaded_version(client, piece)

    def other_session_saves_first(piece: Piece, based_on: int) -> None:
        with Session(db.engine) as other:
            other.execute(update(Piece).where(Piece.id == piece.id).values(
                body="Isi dari sesi lain.", version=Piece.version + 1))
            other.commit()

    monkeypatch.setattr(services, "check_version", other_session_saves_first)  # the window the lock closes
    response = client.post(f"/pieces/{piece.id}/edit", data=_form(piece, version, body="Isi saya."))
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "\nIsi saya.</textarea>" in page
    assert "<del>dari sesi lain.</del><ins>saya.</ins>" in page
    assert _saved_body(piece.id) == "Isi dari sesi lain."


def test_a_status_change_racing_an_edit_answers_409_not_500(client, make_piece, login_as, monkeypatch):
    piece = make_piece()
    login_as(piece.author)
    archive = services.archive_piece

    def edited_meanwhile(piece: Piece, by) -> None:
        with Session(db.engine) as other:
            other.execute(update(Piece).where(Piece.id == piece.id).values(version=Piece.version + 1))
            other.commit()
        archive(piece, by)

    monkeypatch.setattr(services, "archive_piece", edited_meanwhile)
    response = client.post(f"/pieces/{piece.id}/archive")
    assert response.status_code == 409 and "Diubah pada saat yang sama" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Piece, piece.id).status is PieceStatus.PUBLISHED


def test_parallel_saves_from_one_version_keep_exactly_one_and_answer_the_rest_with_conflicts(app, make_piece):
    piece = make_piece(body="Isi awal.")
    author, clients = piece.author, []
    for _ in range(8):
        client = app.test_client()
        start_sign_in(author, "pytest", remember=False)
        session_id = author.get_id()
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
        clients.append(client)
    version = piece.version
    form = _form(piece, str(version))
    piece_id = piece.id
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def save(number: int) -> None:
        barrier.wait()
        response = clients[number].post(f"/pieces/{piece_id}/edit", data=dict(form, body=f"Isi versi {number}."))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [409] * (len(clients) - 1)
    assert _saved_body(piece_id).startswith("Isi versi ")
    assert db.session.scalar(select(Piece.version).where(Piece.id == piece_id)) > version
