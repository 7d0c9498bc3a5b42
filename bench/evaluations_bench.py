"""Official results import benchmark: 514 regencies × 47 SPBE 2020 indicators in one sheet.
Run: make bench-evaluations (ROUNDS=5; DATABASE_URL for PostgreSQL).

Each round starts from an empty results table and times: checking the sheet (read, validate, compare),
storing it (insert 514 evaluations and 24,158 levels, judge commitments, commit), checking it again
(everything unchanged), and storing a corrected copy (one level changed per regency). Medians and p95
in milliseconds, with ratios against reading the same CSV with Python's csv module (the reference).
"""

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, select  # noqa: E402

from livinglab import create_app  # noqa: E402
from livinglab.clock import lab_today  # noqa: E402
from livinglab.demo.services import load_reference_content  # noqa: E402
from livinglab.evaluations import services  # noqa: E402
from livinglab.evaluations.models import Evaluation, EvaluationScore  # noqa: E402
from livinglab.extensions import db  # noqa: E402
from livinglab.indicators.queries import framework_by_code  # noqa: E402
from livinglab.regencies.models import Regency  # noqa: E402
from livinglab.results.services import import_results  # noqa: E402


def sheet(year: int, seed: int, bump: bool = False) -> bytes:
    """A full year of results: one row per regency, one column per indicator."""
    rng = random.Random(seed)
    codes = [i.code for i in framework_by_code("spbe-2020").indicators]
    regencies = list(db.session.scalars(select(Regency.code).order_by(Regency.code)))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["regency_code", "year", "framework", "index", *codes])
    for number, code in enumerate(regencies):
        levels = [rng.randint(1, 5) for _ in codes]
        if bump:
            levels[number % len(codes)] = 6 - levels[number % len(codes)] if levels[number % len(codes)] != 3 else 4
        writer.writerow([code, year, "spbe-2020", "", *levels])
    return buffer.getvalue().encode("utf-8")


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (dropped and refilled)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench", "SEARCH_DRAIN": "off",
            "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{folder}/bench.db",
            "SEARCH_INDEX_DIR": f"{folder}/index", "UPLOAD_DIR": f"{folder}/uploads",
        })
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_reference_content()
            db.session.commit()
            content, corrected = sheet(2024, 1), sheet(2024, 1, bump=True)
            year = lab_today().year
            times: dict[str, list[float]] = {name: [] for name in (
                "read the CSV (reference)", "check a new sheet", "store it", "check it again (unchanged)",
                "check a corrected sheet", "store the corrections")}
            for _ in range(args.rounds):
                db.session.execute(delete(EvaluationScore))
                db.session.execute(delete(Evaluation))
                db.session.commit()
                times["read the CSV (reference)"].append(
                    timed(lambda: list(csv.reader(io.StringIO(content.decode()))))[0]
                )
                elapsed, checked = timed(lambda: services.read_sheet("hasil.csv", content, year))
                assert not checked.problems and len(checked.rows) == 514
                times["check a new sheet"].append(elapsed)

                def store(rows=checked.rows):
                    import_results(rows, None, "Bench", notify=False)
                    db.session.commit()

                times["store it"].append(timed(store)[0])
                elapsed, again = timed(lambda: services.read_sheet("hasil.csv", content, year))
                assert again.count("unchanged") == 514
                times["check it again (unchanged)"].append(elapsed)
                elapsed, fixed = timed(lambda: services.read_sheet("hasil.csv", corrected, year))
                assert fixed.count("changed") == 514
                times["check a corrected sheet"].append(elapsed)
                times["store the corrections"].append(timed(lambda rows=fixed.rows: store(rows))[0])
            db.session.remove()
            db.drop_all()
    reference = statistics.median(times["read the CSV (reference)"])
    print(f"{'step (514 regencies × 47 indicators)':40} {'median ms':>10} {'p95 ms':>8} {'× reference':>12}")
    for name, values in times.items():
        median = statistics.median(values)
        p95 = sorted(values)[max(0, round(0.95 * len(values)) - 1)]
        print(f"{name:40} {median:>10.1f} {p95:>8.1f} {median / reference:>12.1f}")


if __name__ == "__main__":
    main()
