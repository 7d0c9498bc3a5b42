"""Attachments: type checked from the content, stored under UPLOAD_DIR with a generated name."""

import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage

from livinglab.accounts.models import User
from livinglab.audit.services import record_event
from livinglab.extensions import db
from livinglab.i18n import filesize
from livinglab.pieces.models import Attachment, Piece

# Detected MIME type → extension used for the stored file.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
ALLOWED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX, PPTX"
ZIP_TYPES = {mime for mime, ext in ALLOWED_TYPES.items() if ext in ("docx", "xlsx", "pptx")}
RATIO_APPLIES_ABOVE = 10 * 1024 * 1024  # below this unpacked size no compression ratio is dangerous
_END_OF_ARCHIVE = b"PK\x05\x06"


class UploadError(ValueError):
    """A refused upload; `message` says why, `too_large` picks the 413 status."""

    def __init__(self, message: str, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass
class CheckedUpload:
    file: FileStorage
    name: str
    content_type: str
    size: int


def _size(file: FileStorage) -> int:
    stream = file.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def attachments_hint() -> str:
    """The help text of a piece's file field, stating the limits in force (MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS)."""
    config = current_app.config
    return _("PDF, PNG, JPEG, DOCX, XLSX or PPTX, up to %(size)s each, at most %(num)d per piece.",
             size=filesize(config["MAX_ATTACHMENT_BYTES"]), num=config["MAX_ATTACHMENTS"])


def evidence_hint() -> str:
    """The help text of a single evidence file field, stating the size limit in force."""
    return _("PDF, PNG, JPEG, DOCX, XLSX or PPTX, up to %(size)s.",
             size=filesize(current_app.config["MAX_ATTACHMENT_BYTES"]))


def clean_name(name: str) -> str:
    """The user's file name without any path, trimmed to a sensible length."""
    name = Path(name.replace("\\", "/")).name.strip() or "file"
    stem, dot, ext = name.rpartition(".")
    return (stem[: 180] + dot + ext[:10]) if dot else name[:190]


def check_uploads(piece: Piece | None, files: list[FileStorage]) -> list[CheckedUpload]:
    """Check every file before anything is stored: count, emptiness, size and real type."""
    files = [f for f in files if f and f.filename]
    limit, max_bytes = current_app.config["MAX_ATTACHMENTS"], current_app.config["MAX_ATTACHMENT_BYTES"]
    existing = len(piece.attachments) if piece else 0
    if existing + len(files) > limit:
        raise UploadError(_("A piece can have at most %(n)d attachments.", n=limit))
    checked = []
    for file in files:
        name, size = clean_name(file.filename), _size(file)
        if size == 0:
            raise UploadError(_("The file %(name)s is empty.", name=name))
        if size > max_bytes:
            raise UploadError(
                _("The file %(name)s is larger than %(size)s.", name=name, size=filesize(max_bytes)),
                too_large=True,
            )
        head = file.stream.read(8192)
        file.stream.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in ALLOWED_TYPES:
            raise UploadError(
                _("The file %(name)s is not one of the allowed types (%(types)s).", name=name, types=ALLOWED_LABEL)
            )
        if kind.mime in ZIP_TYPES:
            check_archive(file, name, size)
        checked.append(CheckedUpload(file, name, kind.mime, size))
    return checked


def _declared_entries(file: FileStorage) -> int:
    """How many entries the archive's end record announces, read before the central directory is parsed.

    The central directory's size counts too (at least 46 bytes per entry), so a record that lies about
    the count cannot make zipfile build a huge list."""
    file.stream.seek(0, 2)
    file.stream.seek(max(0, file.stream.tell() - 65_557))
    tail = file.stream.read()
    at = tail.rfind(_END_OF_ARCHIVE)
    if at < 0 or len(tail) - at < 22:
        return 0
    count, directory_size = struct.unpack("<HI", tail[at + 10:at + 16])
    return max(count, directory_size // 46)


def check_archive(file: FileStorage, name: str, size: int) -> None:
    """Refuse a DOCX, XLSX or PPTX that unpacks to far more than its size (a zip bomb) or has too many parts."""
    config = current_app.config
    too_many = _("The file %(name)s has too many parts (more than %(n)d).", name=name, n=config["MAX_ZIP_ENTRIES"])
    if _declared_entries(file) > config["MAX_ZIP_ENTRIES"]:
        raise UploadError(too_many)
    try:
        with zipfile.ZipFile(file.stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise UploadError(_("The file %(name)s is damaged and cannot be opened.", name=name)) from error
    finally:
        file.stream.seek(0)
    if len(entries) > config["MAX_ZIP_ENTRIES"]:
        raise UploadError(too_many)
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > config["MAX_UNZIPPED_BYTES"] or (
            unpacked > RATIO_APPLIES_ABOVE and unpacked > size * config["MAX_ZIP_RATIO"]):
        raise UploadError(_(
            "The file %(name)s would unpack to %(unpacked)s from only %(size)s and is refused as a precaution. "
            "Save it again as a new file and upload that copy.",
            name=name, unpacked=filesize(unpacked), size=filesize(size)))


def _unique_name(piece: Piece, name: str) -> str:
    taken = {a.original_name for a in piece.attachments}
    stem, dot, ext = name.rpartition(".")
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{stem} ({number}){dot}{ext}" if dot else f"{name} ({number})"
        number += 1
    return candidate


WRITTEN = "uploads_written"  # session.info: files saved for the transaction that is still open


def save_upload(upload: CheckedUpload) -> str:
    """Write a checked file under UPLOAD_DIR with a generated name and return that name.

    The file belongs to the open transaction: if it ends without a commit (an error, a rollback),
    the file is removed again, so a failed save leaves no orphan behind."""
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{uuid.uuid4().hex}.{ALLOWED_TYPES[upload.content_type]}"
    upload.file.save(folder / stored)
    db.session.info.setdefault(WRITTEN, []).append(folder / stored)
    return stored


@event.listens_for(Session, "after_commit", insert=True)  # first, before any listener that might raise
def _keep_written(session: Session) -> None:
    if not session.in_nested_transaction():  # releasing a savepoint is not the commit that keeps the files
        session.info.pop(WRITTEN, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without the commit above
        for path in session.info.pop(WRITTEN, []):
            path.unlink(missing_ok=True)


def store_uploads(piece: Piece, uploads: list[CheckedUpload], by: User) -> list[Attachment]:
    """Write checked files to UPLOAD_DIR and attach them to the piece."""
    added = []
    for upload in uploads:
        stored = save_upload(upload)
        attachment = Attachment(
            original_name=_unique_name(piece, upload.name), stored_name=stored,
            content_type=upload.content_type, size=upload.size, uploaded_by_id=by.id,
        )
        piece.attachments.append(attachment)
        added.append(attachment)
    return added


def attachment_path(attachment: Attachment) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / attachment.stored_name


def delete_attachment(attachment: Attachment, by: User) -> None:
    """Remove an attachment; the file goes once the deletion is committed."""
    record_event("attachment.deleted", "piece", attachment.piece_id, actor=by, name=attachment.original_name)
    db.session.delete(attachment)
