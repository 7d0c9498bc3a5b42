"""Full rebuilds: parts of the corpus written as segments by forked processes, with a segment writer that
avoids Whoosh's own per-posting costs.

A rebuild of 100,000 pieces adds over 40 million postings, and Whoosh's writer spends most of its time per
posting: it sorts whole posting tuples, pickles each posting to its spill files and reads each back one at
a time, and looks up the field length of every posting in the length column. `BuildWriter` keeps
Whoosh's file format and its sort-and-merge and changes only those costs: postings are sorted per field
by term, spill files hold large marshalled chunks, and field lengths are read once per field into a list.
`tests/search/test_building.py` checks that the segment it writes reads back the same as Whoosh's."""

import marshal
import multiprocessing
import queue
import struct
import traceback
from collections.abc import Callable, Iterable
from itertools import islice
from operator import itemgetter

from whoosh.writing import PostingPool, SegmentWriter

CHUNK = 20_000  # postings per marshalled chunk of a spill file
POSTING_BYTES = 200  # memory of one pooled posting tuple, to turn the pool's megabytes into a count
_SIZE = struct.Struct("<Q")
_TERM = itemgetter(1)


class ChunkedPool(PostingPool):
    """Whoosh's posting pool, holding each field's postings apart and spilling them to files of
    length-prefixed marshalled chunks.

    A posting is (field, term, docnum, weight, value), and documents arrive in docnum order with each
    term once per field: a field's postings sorted by term alone, keeping their order otherwise (a stable
    sort), are sorted as Whoosh sorts the whole tuples, at less than half the cost."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.max_items = max(CHUNK, self.limit // POSTING_BYTES)
        self.fields: dict[str, list[tuple]] = {}
        self.count = 0

    def add(self, item):
        postings = self.fields.get(item[0])
        if postings is None:
            postings = self.fields[item[0]] = []
        postings.append(item)
        self.count += 1
        if self.count >= self.max_items:
            self.save()

    def _sorted(self) -> list[tuple]:
        ordered: list[tuple] = []
        for field in sorted(self.fields):
            postings = self.fields[field]
            postings.sort(key=_TERM)
            ordered += postings
        self.fields, self.count = {}, 0
        return ordered

    def save(self):
        if self.count:
            path, f = self._new_run()
            self._write_run(f, self._sorted())
            self._add_run(path)

    def items(self, maxfiles=128):
        if not self.runs:
            return self._sorted()
        self.save()
        if len(self.runs) > maxfiles:
            self.reduce_to(maxfiles, maxfiles)
        runs, self.runs = self.runs, []
        return self._merge_runs(runs)

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, CHUNK)):
            data = marshal.dumps(chunk)
            f.write(_SIZE.pack(len(data)))
            f.write(data)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while header := f.read(_SIZE.size):
                yield from marshal.loads(f.read(_SIZE.unpack(header)[0]))  # nosec B302  # our own spill file
        finally:
            f.close()
            self._remove_run(path)


class _Lengths:
    """Each field's length in every document of the new segment, read from the length column once."""

    def __init__(self, reader, count: int):
        self.reader, self.count, self.tables = reader, count, {}

    def table(self, fieldname: str) -> list[int]:
        if fieldname not in self.tables:
            self.tables[fieldname] = [self.reader.doc_field_length(n, fieldname) for n in range(self.count)]
        return self.tables[fieldname]


class BuildWriter(SegmentWriter):
    """A writer of one new segment with the pool and posting loop above (no merging, no deletions)."""

    def __init__(self, ix, schema=None, **kwargs):
        super().__init__(ix, **kwargs)
        if schema is not None:
            self.schema = schema  # the schema in code, which a rebuild writes whatever the index had
        self.pool = ChunkedPool(self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128))

    def _flush_segment(self):
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(reader, self.docnum) if reader else None
        _write_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader:
            reader.close()

    def abandon(self):
        """Close the segment's files without writing it (its run files are removed)."""
        if not self.is_closed:
            self._close_segment()
            self.is_closed = True

    def finish(self):
        """Write the segment's files and return the segment, for a parent writer's table of contents."""
        segment = self._finalize_segment()
        self.is_closed = True
        return segment


def _write_postings(fieldwriter, schema, lengths: _Lengths | None, postings: Iterable[tuple]) -> None:
    """Whoosh's FieldWriter.add_postings for sorted postings, with a list lookup for each length."""
    field = text = table = None
    for fieldname, btext, docnum, weight, value in postings:
        if fieldname != field:
            if text is not None:
                fieldwriter.finish_term()
            if field is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            field, text = fieldname, None
            table = lengths.table(fieldname) if lengths else None
        if docnum == -1:  # Whoosh's marker for spelling-graph words, which no field here uses
            continue
        if btext != text:
            if text is not None:
                fieldwriter.finish_term()
            fieldwriter.start_term(btext)
            text = btext
        fieldwriter.add(docnum, weight, value or b"", table[docnum] if table else 0)
    if text is not None:
        fieldwriter.finish_term()
    if field is not None:
        fieldwriter.finish_field()


PartResult = tuple  # (the part's segment, or None when it had nothing to index; how many documents it indexed)


def split(items: list, parts: int) -> list[list]:
    """`items` cut into at most `parts` contiguous parts of nearly equal size."""
    size = max(1, -(-len(items) // max(1, parts)))
    return [items[start:start + size] for start in range(0, len(items), size)]


def write_parts(parts: list, write_part: Callable, progress: Callable[[int], None] | None = None) -> list[PartResult]:
    """`write_part(part, report)` for each part: here when there is one, else each in a forked process of
    its own (which reads, analyses and writes its part), with `report(n)` reaching `progress` here.
    Results come back in the order of the parts, so segments, and ties in ranking, never depend on
    which process finished first. A part that fails stops the others and raises RuntimeError with its
    traceback."""
    if len(parts) <= 1:
        return [write_part(part, progress) for part in parts]
    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    workers = [context.Process(target=_run_part, args=(write_part, number, part, messages), daemon=True)
               for number, part in enumerate(parts)]
    for worker in workers:
        worker.start()
    results: dict[int, PartResult] = {}
    try:
        while len(results) < len(workers):
            try:
                kind, value = messages.get(timeout=1)
            except queue.Empty:
                if any(worker.exitcode not in (None, 0) for worker in workers):
                    raise RuntimeError("An indexing process stopped without a result.") from None
                continue
            if kind == "error":
                raise RuntimeError(f"An indexing process failed:\n{value}")
            if kind == "progress":
                if progress:
                    progress(value)
            else:
                number, result = value
                results[number] = result
    finally:
        for worker in workers:
            if worker.is_alive() and len(results) < len(workers):
                worker.terminate()
            worker.join()
    return [results[number] for number in range(len(parts))]


def _run_part(write_part: Callable, number: int, part, messages) -> None:
    try:
        result = write_part(part, lambda count: messages.put(("progress", count)))
    except BaseException:
        messages.put(("error", traceback.format_exc()))
    else:
        messages.put(("done", (number, result)))
    messages.close()
    messages.join_thread()


def commit_segments(writer: SegmentWriter, schema, results: list[PartResult]) -> None:
    """Make the new segments the whole index, with `schema`, in one commit of the writer holding the lock
    (its own segment stays empty; every older segment and its files go)."""
    writer.schema = schema
    writer._close_segment()
    writer._commit_toc([segment for segment, _ in results if segment is not None])
    writer._finish()
