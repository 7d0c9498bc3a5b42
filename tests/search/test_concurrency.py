"""Several processes publish, edit and archive at once; afterwards the index equals the database."""

import multiprocessing

from livinglab import create_app
from livinglab.accounts.models import User
from livinglab.extensions import db
from livinglab.pieces import services
from livinglab.pieces.models import Piece, PieceKind
from livinglab.search import index

PROCESSES = 4
PIECES_PER_PROCESS = 6


def _worker(config: dict, author_id: int, indicator_id: int, number: int) -> None:
    """One server process: publish pieces, edit every second one, archive every third."""
    app = create_app(config)
    with app.app_context():
        author = db.session.get(User, author_id)
        for n in range(PIECES_PER_PROCESS):
            data = services.PieceInput(kind=PieceKind.PRACTICE, title=f"Proses {number} tulisan {n}",
                                       summary="Ringkasan.", body=f"Isi perizinan {number}-{n}.", language="id",
                                       indicator_ids=[indicator_id])
            piece = services.create_piece(author, author.regency, data)
            services.publish_piece(piece, author)
            db.session.commit()
            if n % 2 == 0:
                data.title = f"Proses {number} tulisan {n} diperbarui"
                services.update_piece(piece, author, data)
                db.session.commit()
            if n % 3 == 0:
                services.archive_piece(piece, author)
                db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_four_processes_writing_at_once_leave_no_drift(app, make_user, make_indicator):
    author, indicator = make_user("official"), make_indicator()
    config = {key: app.config[key] for key in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "SEARCH_INDEX_DIR", "UPLOAD_DIR", "PASSWORD_HASH_METHOD")}
    config.update(TESTING=True, SEARCH_DRAIN="inline", SEARCH_WRITER_TIMEOUT=0.5)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_worker, args=(config, author.id, indicator.id, n)) for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=240)
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    db.session.expire_all()
    assert db.session.query(Piece).count() == PROCESSES * PIECES_PER_PROCESS
    index.drain_all()  # rows a busy index left behind wait for this drain, as in production
    missing, extra = index.drift()
    assert (missing, extra) == (set(), set())
    assert index.queue_length() == 0
    assert len(index.indexed_ids()) == PROCESSES * (PIECES_PER_PROCESS - 2)
