"""Worst-case search benchmark: the costliest queries an anonymous visitor can craft against a normal
query, on the same index in the same run. Run: make bench-search-worst (SIZES=10000 by default).

Every crafted query uses fresh random words each run, as an attacker would, so no cache helps. The
issue's bar: the worst query costs at most 3x the normal one (median of the runs).
"""

import argparse
import random
import shutil
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402
from search_bench import build_whoosh, corpus, livinglab_document, queries, vocabulary  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402

from livinglab.search.analysis import STOPWORDS_ID, stem_id  # noqa: E402
from livinglab.search.documents import schema as livinglab_schema  # noqa: E402
from livinglab.search.query import SearchFilters, ask_index  # noqa: E402
from livinglab.search.snippets import snippet  # noqa: E402

LIMIT = 3.0


def nonsense(rng: random.Random, count: int, low: int = 7, high: int = 11) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(low, high))) for _ in range(count))


def misspelt(rng: random.Random, vocab: list[str], count: int) -> str:
    """Real long words with two letters swapped: each one is a correction candidate."""
    words = rng.sample([w for w in vocab[:2000] if len(w) > 7], count)
    return " ".join(w[:2] + w[3] + w[2] + w[4:] for w in words)


def near(frequencies: dict[str, int], share: float, count: int) -> list[str]:
    """The `count` words whose document frequency is closest to `share` of the index."""
    target = share * max(frequencies.values())
    return sorted(frequencies, key=lambda word: abs(frequencies[word] - target))[:count]


def crafted(vocab: list[str], frequencies: dict[str, int]) -> dict:
    """Query makers: each takes a fresh Random and returns one query text. The last two know the planner's
    budget (the rarest word is free, the others may walk postings up to half the index)."""
    common = vocab[:40]
    return {
        "25 nonsense words": lambda rng: nonsense(rng, 25),
        "66 two-letter words (200 chars)": lambda rng: nonsense(rng, 66, 2, 2),
        "8 misspelt words": lambda rng: misspelt(rng, vocab, 8),
        "20 misspelt words": lambda rng: misspelt(rng, vocab, 20),
        "25 common words": lambda rng: " ".join(rng.sample(common, 25)),
        "long phrase of nonsense": lambda rng: f'"{nonsense(rng, 25)}"',
        "everything (empty query)": lambda rng: "",
        "2 words in half the pieces": lambda rng: " ".join(rng.sample(near(frequencies, 0.48, 6), 2)),
        "6 words just within the budget": lambda rng: " ".join(rng.sample(near(frequencies, 0.09, 12), 6)),
    }


def timed(run, text: str) -> float:
    """CPU milliseconds of one query (CPU, not wall time: the machine may be shared)."""
    started = time.process_time()
    run(text)
    return (time.process_time() - started) * 1000


def bench(size: int, runs: int, work: Path) -> list[str]:
    vocab = vocabulary()
    bodies = {d["id"]: f"{d['summary']} {d['body']}" for d in corpus(size, vocab)}
    folder = work / str(size)
    folder.mkdir()
    build_whoosh(folder, livinglab_schema(), corpus(size, vocab), livinglab_document, procs=1, compound=False)
    searcher = whoosh_index.open_dir(str(folder)).searcher()

    def run(text: str) -> None:
        answer = ask_index(searcher, text, SearchFilters(), 1, 20, False)
        for piece_id in answer.ids:
            snippet(bodies[str(piece_id)], answer.words, "id")

    mix = queries(vocab)
    normal_texts = mix["1 term"] + mix["2 terms"]
    for text in normal_texts:  # warm the searcher, facet table and caches once
        run(text)
    frequencies = {word: searcher.doc_frequency("text", stem_id(word)) for word in vocab[:1500]
                   if word not in STOPWORDS_ID and len(word) > 3}
    rng = random.Random(3)
    normal = statistics.median(timed(run, text) for _ in range(runs) for text in normal_texts)
    lines = [f"\n### {size:,} pieces, CPU ms, median of {runs} runs (fresh words each run)\n",
             f"normal query (1-2 known words): {normal:.1f} ms\n",
             "| crafted query | median ms | × normal |", "|---|---|---|"]
    worst = 0.0
    for name, make in crafted(vocab, frequencies).items():
        median = statistics.median(timed(run, make(rng)) for _ in range(runs))
        worst = max(worst, median / normal)
        lines.append(f"| {name} | {median:.1f} | {median / normal:.1f} |")
    searcher.close()
    verdict = "within" if worst <= LIMIT else "OVER"
    lines.append(f"\nworst/normal = {worst:.1f} ({verdict} the {LIMIT:.0f}× budget)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="livinglab-worst-"))
    lines = [*report.header("Worst-case search queries")]
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            lines += bench(size, args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.save("search-worst", lines)


if __name__ == "__main__":
    main()
