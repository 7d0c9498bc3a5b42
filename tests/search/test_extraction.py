"""Attachment text extraction runs in a limited child process: a pathological job ends at its limit."""

import logging
import time
import zipfile
from pathlib import Path

import pytest

from livinglab.search.extraction import Limits, extract, run_limited

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TINY = Limits(memory_mb=256, cpu_seconds=1, timeout=10)
JOBS = '''
import time

def spin(*args):
    yield "awal yang sempat terbaca"
    while True:
        pass

def sleep(*args):
    time.sleep(60)
    yield "never"

def hog(*args):
    yield len(bytearray(2 * 1024 ** 3))

def write(*args):
    with open(args[0], "w") as handle:
        handle.write("x")
    yield "written"

def echo(*args):
    yield from args
'''


@pytest.fixture
def jobs(tmp_path: Path) -> Path:
    path = tmp_path / "jobs.py"
    path.write_text(JOBS)
    return path


def _docx(path: Path, paragraphs: int, text: bytes = b"kata benda pelayanan") -> Path:
    """A DOCX whose document.xml holds `paragraphs` copies of one paragraph (a zip bomb when many)."""
    paragraph = b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as xml:
            xml.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for start in range(0, paragraphs, 10_000):
                xml.write(paragraph * min(10_000, paragraphs - start))
            xml.write(b"</w:body></w:document>")
    return path


def test_a_job_that_loops_forever_is_stopped_by_its_cpu_limit_and_keeps_what_it_yielded(jobs):
    started = time.monotonic()
    outcome = run_limited(jobs, "spin", [], TINY)
    assert time.monotonic() - started < TINY.timeout  # the CPU limit, not the wall clock, ended it
    assert not outcome.complete and outcome.values == ["awal yang sempat terbaca"]


def test_a_job_that_waits_forever_is_killed_at_the_wall_clock_timeout(jobs):
    outcome = run_limited(jobs, "sleep", [], Limits(memory_mb=256, cpu_seconds=5, timeout=1))
    assert not outcome.complete and outcome.values == [] and "timeout" in outcome.problem


def test_a_job_cannot_take_more_memory_or_write_files(jobs, tmp_path):
    assert not run_limited(jobs, "hog", [], TINY).complete
    assert not run_limited(jobs, "write", [str(tmp_path / "out.txt")], TINY).complete
    assert not (tmp_path / "out.txt").exists() or (tmp_path / "out.txt").read_text() == ""


def test_a_job_that_ends_normally_returns_everything(jobs):
    outcome = run_limited(jobs, "echo", ["satu", "dua"], TINY)
    assert outcome.complete and outcome.values == ["satu", "dua"]


def test_a_zip_bomb_docx_yields_only_the_capped_text_quickly(tmp_path):
    bomb = _docx(tmp_path / "bom.docx", 5_000_000)  # about 270 MB of XML in a file of a few hundred kB
    assert bomb.stat().st_size < 2_000_000
    text = extract(bomb, DOCX, 1000, TINY)
    assert len(text) == 1000 and text.startswith("kata benda pelayanan kata benda")


def test_unreadable_files_give_empty_text_and_a_log_line(tmp_path, caplog):
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    with caplog.at_level(logging.WARNING, logger="livinglab.search.extraction"):
        assert extract(broken, "application/pdf", 1000, TINY) == ""
    assert "rusak.pdf" in caplog.text
    assert extract(broken, "image/png", 1000, TINY) == ""  # not a text format: no child at all


def test_text_the_database_cannot_store_is_removed(tmp_path):
    docx = _docx(tmp_path / "nul.docx", 1, text=b"awal&#0;akhir")
    assert "\x00" not in extract(docx, DOCX, 1000, TINY)
