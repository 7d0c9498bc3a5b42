"""Loading the demo pieces from `content/demo/pieces/*.md` (TOML front matter + Markdown body)."""

import tomllib
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from slugify import slugify
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from livinglab.accounts import services as accounts
from livinglab.accounts.models import User
from livinglab.accounts.queries import find_user_by_email
from livinglab.demo.data import DEMO_ATTACHMENTS, DEMO_PASSWORD
from livinglab.extensions import db
from livinglab.indicators.queries import default_framework
from livinglab.pieces import attachments, services
from livinglab.pieces.models import Piece, PieceKind
from livinglab.regencies.models import Regency
from livinglab.roles import Role

MORNING_WIB = time(2, 0, tzinfo=UTC)  # 09:00 in Jakarta
REPLICATE_HEADINGS = ("## Cara mereplikasi", "## How to replicate")


@dataclass
class DemoPiece:
    key: str
    meta: dict
    body: str


def read_demo_pieces(folder: Path) -> list[DemoPiece]:
    """Every demo piece file, in name order."""
    pieces = []
    for path in sorted(folder.glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("+++", 2)
        pieces.append(DemoPiece(path.stem, tomllib.loads(front), body.strip()))
    return pieces


def _author(name: str, regency_code: str) -> User:
    """The demo official who wrote the piece, created on first use."""
    existing = db.session.scalars(
        select(User).where(User.regency_code == regency_code, User.name.in_([name, f"{name} (demo)"]))
    ).first()
    if existing:
        return existing
    email = f"{slugify(name, separator='.')}.{regency_code}@livinglab.example.org"
    user = find_user_by_email(email) or accounts.register_user(
        email, f"{name} (demo)", DEMO_PASSWORD, regency_code=regency_code
    )
    accounts.change_role(user, Role.OFFICIAL, regency_code, by=None)
    return user


def _input(meta: dict, body: str, codes_to_ids: dict[str, int]) -> services.PieceInput:
    ids = [codes_to_ids[code] for code in meta["indicators"]]
    return services.PieceInput(
        kind=PieceKind(meta["kind"]), title=meta["title"], summary=meta["summary"], body=body,
        language=meta["language"], indicator_ids=ids, tags=[t.lower() for t in meta.get("tags", [])],
        period_start_on=date.fromisoformat(meta["period_start"]) if meta.get("period_start") else None,
        period_end_on=date.fromisoformat(meta["period_end"]) if meta.get("period_end") else None,
        levels={codes_to_ids[code]: tuple(pair) for code, pair in meta.get("levels", {}).items()},
    )


def _first_draft(body: str) -> str:
    """The body without its replication section: the demo history shows that section being added."""
    for heading in REPLICATE_HEADINGS:
        if heading in body:
            return body.split(heading, 1)[0].strip()
    return body


def _attach(piece: Piece, names: list[str], author: User) -> None:
    folder = Path(current_app.config["CONTENT_DIR"]) / "demo" / "attachments"
    with ExitStack() as stack:
        handles = [stack.enter_context(open(folder / name, "rb")) for name in names]
        files = [FileStorage(stream=h, filename=name) for h, name in zip(handles, names, strict=True)]
        attachments.store_uploads(piece, attachments.check_uploads(piece, files), author)


def load_demo_piece(item: DemoPiece, codes_to_ids: dict[str, int]) -> Piece | None:
    """Create one demo piece with two revisions, published on its date; None if it exists already."""
    meta = item.meta
    regency = db.session.get(Regency, meta["regency"])
    exists = select(Piece.id).where(Piece.is_demo, Piece.regency_code == regency.code, Piece.title == meta["title"])
    if db.session.scalar(exists):
        return None
    author = _author(meta["author"], regency.code)
    data = _input(meta, item.body, codes_to_ids)
    draft_note = "Draf pertama" if meta["language"] == "id" else "First draft"
    piece = services.create_piece(
        author, regency, services.PieceInput(**{**vars(data), "body": _first_draft(item.body)}), draft_note
    )
    final_note = "Menambahkan cara mereplikasi" if meta["language"] == "id" else "Added how to replicate"
    services.update_piece(piece, author, data, final_note)
    services.publish_piece(piece, author)
    _attach(piece, DEMO_ATTACHMENTS.get(item.key, []), author)
    published = datetime.combine(date.fromisoformat(meta["published_on"]), MORNING_WIB)
    piece.is_demo = True
    piece.created_at = published - timedelta(days=3)
    piece.published_at = piece.updated_at = published
    piece.revisions[0].created_at, piece.revisions[-1].created_at = piece.created_at, published
    db.session.flush()
    return piece


def load_demo_pieces(folder: Path) -> int:
    """Load every demo piece that is not there yet; returns how many were created."""
    framework = default_framework()
    codes_to_ids = {i.code: i.id for i in framework.indicators}
    return sum(load_demo_piece(item, codes_to_ids) is not None for item in read_demo_pieces(folder))


def demo_pieces_by_key(folder: Path) -> dict[str, Piece]:
    """Demo piece file stem → its piece in the database (pieces not loaded yet are left out)."""
    found = {}
    for item in read_demo_pieces(folder):
        query = select(Piece).where(Piece.is_demo, Piece.regency_code == item.meta["regency"],
                                    Piece.title == item.meta["title"])
        piece = db.session.scalars(query).first()
        if piece:
            found[item.key] = piece
    return found
