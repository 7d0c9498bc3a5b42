"""Search benchmark: build time, size and query latency of Livinglab's Whoosh index, out-of-the-box
Whoosh and SQLite FTS5, on the same deterministic synthetic Indonesian corpus. Run: make bench-search.

Each engine indexes the same documents (about 450 words drawn from the vocabulary of the demo pieces),
then answers the same query mix with snippets/highlights and facet counts, searcher kept open. Times are
reported as p50/p95 per query type and as ratios against out-of-the-box Whoosh measured in the same run.
"""

import argparse
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import report  # noqa: E402
from whoosh import index as whoosh_index, sorting  # noqa: E402
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser  # noqa: E402

from livinglab.search import building, index  # noqa: E402
from livinglab.search.analysis import indonesian_analyzer, use_common_roots  # noqa: E402
from livinglab.search.documents import schema as livinglab_schema  # noqa: E402
from livinglab.search.execution import executor  # noqa: E402
from livinglab.search.query import FACETS, SearchFilters, ask_index  # noqa: E402
from livinglab.search.snippets import snippet  # noqa: E402

KINDS = ["practice", "case_study", "improvement"]
WORD = re.compile(r"[a-z]{3,}")


def vocabulary() -> list[str]:
    words: dict[str, int] = {}
    for path in sorted((ROOT / "content" / "demo" / "pieces").glob("*.md")):
        for word in WORD.findall(path.read_text(encoding="utf-8").lower()):
            words[word] = words.get(word, 0) + 1
    return sorted(words, key=lambda w: (-words[w], w))


def corpus(size: int, vocab: list[str], seed: int = 7):
    """Deterministic documents; word frequencies follow the demo texts' rank (Zipf-like)."""
    rng = random.Random(seed)
    weights = [1 / (rank + 5) for rank in range(len(vocab))]
    for number in range(size):
        words = rng.choices(vocab, weights=weights, k=450)
        yield {
            "id": str(number), "title": " ".join(words[:8]), "summary": " ".join(words[8:40]),
            "body": " ".join(words[40:]), "kind": KINDS[number % 3], "domain": str(1 + number % 4),
            "indicator": f"i{1 + number % 47:02d}", "province": str(11 + number % 38),
            "regency": str(1101 + number % 514), "year": str(2021 + number % 6), "language": "id",
            "published": 1_600_000_000 + number * 60,
        }


def queries(vocab: list[str], seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    mid = vocab[30:600]
    typo = [w[:2] + w[3] + w[2] + w[4:] for w in rng.sample([w for w in mid if len(w) > 6], 15)]
    return {
        "1 term": rng.sample(mid, 15),
        "2 terms": [" ".join(rng.sample(mid, 2)) for _ in range(15)],
        "3 terms": [" ".join(rng.sample(mid[:200], 3)) for _ in range(15)],
        "phrase": [f'"{a} {b}"' for a, b in zip(rng.sample(mid[:100], 15), rng.sample(mid[:100], 15), strict=False)],
        "typo": typo,
    }


def corpus_common_roots(size: int, vocab: list[str], count: int = 200, sample: int = 5_000) -> list[str]:
    """The roots in the most documents of the corpus (a sample of it), as `flask search common-roots` lists
    them on its index: what production does after indexing its own pieces (see content/search/common_roots.txt)."""
    analyzer, frequencies = indonesian_analyzer(), Counter()
    for doc in corpus(min(size, sample), vocab):
        frequencies.update({t.text for t in analyzer(f"{doc['summary']} {doc['body']}")})
    return [root for root, _ in sorted(frequencies.items(), key=lambda pair: (-pair[1], pair[0]))[:count]]


def livinglab_document(doc: dict) -> dict:
    text = f"{doc['summary']} {doc['body']}"
    return {
        "id": doc["id"],
        "title": doc["title"],
        "text": text,
        "title_en": "",
        "text_en": "",
        "pairs": text,
        "words": f"{doc['title']} {doc['summary']}",
        "codes": doc["indicator"],
        **{k: doc[k] for k in ("kind", "domain", "indicator", "province", "regency", "year", "language", "published")},
    }


def build_whoosh(folder: Path, schema, documents, to_document, procs: int) -> float:
    ix = whoosh_index.create_in(str(folder), schema)
    started = time.perf_counter()
    writer = ix.writer(procs=procs, multisegment=procs > 1, limitmb=256)
    for doc in documents:
        writer.add_document(**to_document(doc))
    writer.commit()
    return time.perf_counter() - started


def build_livinglab(folder: Path, schema, documents, to_document, procs: int) -> float:
    """As `flask search rebuild` indexes (building.py): one segment per process, without the database."""
    ix = whoosh_index.create_in(str(folder), schema)
    started = time.perf_counter()
    parts = building.split(list(documents), procs)

    def write(part, progress):
        writer = building.BuildWriter(ix, schema=schema, _lk=False, compound=False, limitmb=index.BUILD_POOL_MB)
        for doc in part:
            writer.add_document(**to_document(doc))
        return writer.finish(), len(part)

    building.commit_segments(ix.writer(), schema, building.write_parts(parts, write))
    return time.perf_counter() - started


def default_schema() -> Schema:
    """What a newcomer writes from the Whoosh docs: stored text, positions everywhere, Sastrawi analyzer."""
    analyzer = indonesian_analyzer()
    return Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True, analyzer=analyzer),
                  body=TEXT(stored=True, analyzer=analyzer), kind=ID(stored=True), indicator=KEYWORD(stored=True),
                  province=ID(stored=True), year=ID(stored=True), published=NUMERIC(stored=True, sortable=True))


def default_document(doc: dict) -> dict:
    return {"id": doc["id"], "title": doc["title"], "body": f"{doc['summary']} {doc['body']}",
            **{k: doc[k] for k in ("kind", "indicator", "province", "year", "published")}}


def time_queries(run, mix: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, float]]:
    timings = {}
    for name, texts in mix.items():
        samples = []
        for _ in range(repeat):
            for text in texts:
                started = time.perf_counter()
                run(text)
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        timings[name] = (statistics.median(samples), samples[int(len(samples) * 0.95) - 1])
    return timings


def livinglab_runner(searcher, bodies: dict[str, str], cold: bool = True):
    """The production path (`ask_index`), with snippets cut from the corpus instead of the database.

    Cold: the term bitmaps cached per searcher are dropped before every query, so no query profits from
    an earlier one (only the per-generation document lengths stay)."""
    filters = SearchFilters()
    run_state = executor(searcher, FACETS)

    def run(text: str):
        if cold:
            run_state.forget_terms()
        answer = ask_index(searcher, text, filters, 1, 20, False)
        for piece_id in answer.ids:
            snippet(bodies[str(piece_id)], answer.words, "id")
        return answer.facets

    return run


def default_runner(searcher):
    parser = MultifieldParser(["title", "body"], searcher.schema)
    facets = {"kind": sorting.FieldFacet("kind", maptype=sorting.Count),
              "indicator": sorting.FieldFacet("indicator", maptype=sorting.Count)}

    def run(text: str):
        results = searcher.search(parser.parse(text), limit=20, groupedby=facets, terms=True)
        for hit in results[:20]:
            hit.highlights("body", top=2)
        return [results.groups(name) for name in facets]

    return run


def build_fts5(path: Path, documents) -> tuple[sqlite3.Connection, float]:
    analyzer = indonesian_analyzer()
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, kind TEXT, indicator TEXT, province TEXT, year TEXT)"
    )
    connection.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61')")
    started = time.perf_counter()
    rows, texts = [], []
    for doc in documents:
        rows.append((int(doc["id"]), doc["kind"], doc["indicator"], doc["province"], doc["year"]))
        stem = " ".join(t.text for t in analyzer(f"{doc['summary']} {doc['body']}"))
        texts.append((int(doc["id"]), " ".join(t.text for t in analyzer(doc["title"])), stem))
        if len(rows) == 2000:
            connection.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", rows)
            connection.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", texts)
            rows, texts = [], []
    connection.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", rows)
    connection.executemany("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", texts)
    connection.commit()
    return connection, time.perf_counter() - started


def fts5_runner(connection: sqlite3.Connection):
    analyzer = indonesian_analyzer()

    def run(text: str):
        phrase = text.startswith('"')
        stems = [t.text for t in analyzer(text)]
        if not stems:
            return []
        match = '"' + " ".join(stems) + '"' if phrase else " AND ".join(f'"{s}"' for s in stems)
        top = connection.execute(
            "SELECT rowid, snippet(fts, 1, '<b>', '</b>', '…', 24) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
            (match,)).fetchall()
        facets = [connection.execute(
            f"SELECT d.{name}, count(*) FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? GROUP BY d.{name}",
            (match,)).fetchall() for name in ("kind", "indicator", "province", "year")]
        return top, facets

    return run


def commit_latency(folder: Path, document: dict, runs: int = 5) -> float:
    """Median seconds to update one document and commit, as a drain does after a publish."""
    samples = []
    for run in range(runs):
        started = time.perf_counter()
        writer = whoosh_index.open_dir(str(folder)).writer(timeout=5, compound=False)
        writer.update_document(**{**document, "title": f"{document['title']} {run}"})
        writer.commit()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


WORKER_PROBE = """
import sys
sys.path.insert(0, {root!r})
from livinglab.search.analysis import use_common_roots
if {roots!r} is not None:
    use_common_roots({roots!r})
from whoosh import index
from livinglab.search.query import SearchFilters, ask_index
searcher = index.open_dir({folder!r}).searcher()
for text in {texts!r}:
    ask_index(searcher, text, SearchFilters(), 1, 20, False)
# VmHWM, not ru_maxrss: the latter is inherited from the parent across fork and exec.
status = open("/proc/self/status").read()
print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024)
"""


def worker_memory(folder: Path, texts: list[str], roots: list[str] | None) -> int:
    """Peak MB of a fresh process that opens the index and answers queries, as a web worker would."""
    code = WORKER_PROBE.format(root=str(ROOT), folder=str(folder), texts=texts, roots=roots)
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.is_dir() else path.stat().st_size


def bench(size: int, repeat: int, procs: int, work: Path, corpus_roots: bool) -> list[str]:
    vocab, lines = vocabulary(), []
    mix = queries(vocab)
    roots = corpus_common_roots(size, vocab) if corpus_roots else None
    if roots:
        use_common_roots(roots)
    bodies = {d["id"]: f"{d['summary']} {d['body']}" for d in corpus(size, vocab)}
    engines = {}
    for name in ("whoosh-default", "livinglab", "livinglab-warm", "fts5"):
        target = work / f"{name}-{size}"
        target.mkdir(parents=True, exist_ok=True)
        if name == "fts5":
            connection, seconds = build_fts5(target / "fts.db", corpus(size, vocab))
            run, close = fts5_runner(connection), connection.close
        else:
            if name == "livinglab-warm":  # the same index, caches kept between queries
                target, seconds = work / f"livinglab-{size}", engines["livinglab"][0]
            else:
                if name == "whoosh-default":
                    seconds = build_whoosh(target, default_schema(), corpus(size, vocab), default_document, procs)
                else:
                    seconds = build_livinglab(target, livinglab_schema(), corpus(size, vocab), livinglab_document,
                                              procs)
            searcher = whoosh_index.open_dir(str(target)).searcher()
            if name == "livinglab":
                started = time.perf_counter()
                livinglab_runner(searcher, bodies)(mix["1 term"][0])
                first_query = time.perf_counter() - started
            run = default_runner(searcher) if name == "whoosh-default" else livinglab_runner(
                searcher, bodies, cold=name == "livinglab")
            close = searcher.close
        timings = time_queries(run, mix, repeat)
        engines[name] = (seconds, folder_size(target), timings)
        close()
        if name == "livinglab":
            extra = (commit_latency(target, livinglab_document(next(corpus(1, vocab)))),
                     worker_memory(target, [t for texts in mix.values() for t in texts], roots))
    baseline = engines["whoosh-default"][2]
    lines.append(f"\n### {size:,} pieces (about 450 words each), {repeat} runs of each query, searcher kept open\n")
    lines.append("| engine | build s | docs/s | size MB | " + " | ".join(f"{q} p50 / p95 ms" for q in mix) + " |")
    lines.append("|---|---|---|---|" + "---|" * len(mix))
    for name, (seconds, bytes_, timings) in engines.items():
        cells = [f"{timings[q][0]:.1f} / {timings[q][1]:.1f} (×{timings[q][0] / baseline[q][0]:.2f})" for q in mix]
        lines.append(
            f"| {name} | {seconds:.1f} | {size / seconds:,.0f} | {bytes_ / 1e6:.0f} | " + " | ".join(cells) + " |"
        )
    lines.append(
        f"\nlivinglab: one publish (update one document + commit) takes {extra[0] * 1000:.0f} ms (median of 5);"
        f" a fresh worker process answering the query mix peaks at {extra[1]} MB;"
        f" the first query of a new searcher (per-generation tables) takes {first_query * 1000:.0f} ms."
        "\nlivinglab: term caches dropped before every query (cold); livinglab-warm: kept (repeated words)."
        + ("\nlivinglab: phrases of the corpus's 200 most frequent roots read from the pairs field (its own list, as"
           " `flask search common-roots` gives)." if roots else
           "\nlivinglab: pairs from the shipped list of common roots (content/search/common_roots.txt, from the demo).")
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000", help="comma-separated corpus sizes, e.g. 10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--roots", choices=("corpus", "shipped"), default="corpus",
                        help="common roots: the corpus's own (what production makes), or the shipped demo list")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="livinglab-bench-"))
    lines = [*report.header("Search benchmark"),
             "(ratio ×n: this engine's p50 divided by out-of-the-box Whoosh's p50 in the same run)"]
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            lines += bench(size, args.repeat, args.procs, work, args.roots == "corpus")
            print("\n".join(lines[-9:]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"\npeak memory of the benchmark process: {rss:.0f} MB")
    report.save("search", lines)


if __name__ == "__main__":
    main()
