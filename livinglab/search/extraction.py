"""Attachment text extraction in a child process with memory, CPU and time limits.

A crafted PDF or DOCX can make a parser take gigabytes or minutes, so the web process never parses
attachments itself. `run_limited` starts a fresh Python that loads only this file (no app, no database
connection, an empty environment), lowers its own limits with setrlimit and streams what the job
yields back as JSON lines: a child killed by a limit still leaves the text read so far. Failures give
empty or partial text and a log line, never an exception. This module imports nothing from the app.
"""

import importlib.util
import json
import logging
import re
import resource
import subprocess  # nosec B404  # runs only this file with our own interpreter, to bound memory and time
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

log = logging.getLogger(__name__)
PDF_PAGES = 200
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXTRACTORS = {
    "application/pdf": "pdf_text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx_text",
}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL cannot store these in text


@dataclass(frozen=True)
class Limits:
    """What one child may use: address space, CPU seconds, and wall-clock seconds before it is killed."""

    memory_mb: int
    cpu_seconds: int
    timeout: float


@dataclass
class Outcome:
    """What a limited job yielded, and whether it finished by itself."""

    values: list = field(default_factory=list)
    complete: bool = False
    problem: str = ""


def run_limited(path: Path, function: str, args: list, limits: Limits) -> Outcome:
    """Run the generator `function(*args)` from the Python file `path` in a limited child process."""
    job = {"path": str(path), "function": function, "args": args, "memory_mb": limits.memory_mb,
           "cpu_seconds": limits.cpu_seconds}
    command = [sys.executable, "-I", "-B", str(Path(__file__).resolve())]
    started = time.monotonic()
    try:
        done = subprocess.run(  # nosec B603  # a fixed argv without a shell; the job goes in on stdin
            command, input=json.dumps(job).encode(), capture_output=True, env={}, timeout=limits.timeout, check=False)
        output, code, errors = done.stdout, done.returncode, done.stderr
    except subprocess.TimeoutExpired as expired:
        output, code, errors = expired.stdout or b"", None, b"killed after the wall-clock timeout"
    except OSError as error:  # no Python to start, too many processes, ...
        output, code, errors = b"", None, str(error).encode()
    outcome = Outcome(values=_decode(output), complete=code == 0)
    if not outcome.complete:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        outcome.problem = f"exit {code} after {time.monotonic() - started:.1f} s: {last[0][:200]}"
    return outcome


def _decode(output: bytes) -> list:
    values = []
    for line in output.splitlines():
        try:
            values.append(json.loads(line))
        except ValueError:  # the last line of a killed child may be cut short
            break
    return values


def extract(path: Path, content_type: str, limit: int, limits: Limits) -> str:
    """At most `limit` characters of a PDF's or DOCX's text; "" for other types; partial text on failure."""
    function = EXTRACTORS.get(content_type)
    if function is None:
        return ""
    outcome = run_limited(Path(__file__), function, [str(path), limit], limits)
    text = _UNSTORABLE.sub("", " ".join(str(value) for value in outcome.values))[:limit]
    if not outcome.complete:
        log.warning("Text extraction of %s stopped (%s); %d characters kept.", path.name, outcome.problem, len(text))
    return text


def pdf_text(path: str, limit: int) -> Iterator[str]:
    """The text of a PDF page by page, up to `limit` characters and PDF_PAGES pages (run in the child)."""
    size = 0
    for page in PdfReader(path).pages[:PDF_PAGES]:
        text = page.extract_text() or ""
        yield text[: limit - size]
        size += len(text)
        if size >= limit:
            return


def docx_text(path: str, limit: int) -> Iterator[str]:
    """The paragraphs of a DOCX, streamed from word/document.xml without building the whole tree (child)."""
    size = 0
    with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as xml:
        for _, paragraph in etree.iterparse(xml, tag=f"{WORD}p", resolve_entities=False, no_network=True):
            text = "".join(node.text or "" for node in paragraph.iter(f"{WORD}t"))
            paragraph.clear()
            while paragraph.getprevious() is not None:  # drop finished paragraphs: memory stays flat
                del paragraph.getparent()[0]
            if text:
                yield text[: limit - size]
                size += len(text) + 1
                if size >= limit:
                    return


def _child() -> None:
    """The child's side: lower the limits first, then run the job and print each value as a JSON line."""
    job = json.loads(sys.stdin.buffer.read())
    memory = job["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (job["cpu_seconds"], job["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # a job has no reason to write files
    spec = importlib.util.spec_from_file_location("limited_job", job["path"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for value in getattr(module, job["function"])(*job["args"]):
        sys.stdout.write(json.dumps(value) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _child()
