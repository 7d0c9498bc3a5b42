"""Coordinator dashboard benchmark: how the dashboard, the public list and the exports scale with the
number of commitments. Run: make bench-commitments (SIZES=1000,10000 ROUNDS=7; DATABASE_URL for PostgreSQL).

Each size gets a fresh database with the real reference data (514 regencies, SPBE 2020) and synthetic
commitments spread over regencies, statuses, indicators and dates. Every page is requested ROUNDS times
after two warm-up requests, signed in as a coordinator; the report gives medians and p95 in milliseconds,
and ratios against the home page measured in the same run (the reference: a light page of the same app).
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from livinglab import create_app  # noqa: E402
from livinglab.accounts.models import User  # noqa: E402
from livinglab.accounts.services import register_user  # noqa: E402
from livinglab.clock import lab_today  # noqa: E402
from livinglab.commitments.models import Commitment, CommitmentStatus, CommitmentTarget, Milestone  # noqa: E402
from livinglab.demo.services import load_reference_content  # noqa: E402
from livinglab.extensions import db  # noqa: E402
from livinglab.indicators.queries import default_framework  # noqa: E402
from livinglab.regencies.models import Regency  # noqa: E402
from livinglab.roles import Role  # noqa: E402

PAGES = {
    "home (reference)": "/",
    "dashboard": "/coordinator",
    "dashboard, overdue in a province": "/coordinator?status=overdue&province=32",
    "dashboard, at risk on one indicator": "/coordinator?status=risk_any&indicator=I01",
    "public list": "/commitments",
    "export CSV (all)": "/coordinator/export.csv",
    "export XLSX (all)": "/coordinator/export.xlsx",
}


def seed(count: int, rng: random.Random, first_id: int = 1, owner_email: str = "owner@bench.example.org") -> None:
    """Synthetic commitments with 1–3 targets and 2–4 milestones each, in bulk, with ids from `first_id`."""
    today = lab_today()
    regencies = list(db.session.scalars(select(Regency.code)))
    indicators = [i.id for i in default_framework().indicators]
    owner = db.session.scalar(select(User.id).where(User.email == owner_email))
    statuses = list(CommitmentStatus)
    commitments, targets, milestones = [], [], []
    for number in range(first_id, first_id + count):
        start = today - timedelta(days=rng.randint(0, 540))
        commitments.append({
            "id": number, "regency_code": rng.choice(regencies), "owner_id": owner, "title": f"Komitmen {number}",
            "description": "", "starts_on": start, "due_on": start + timedelta(days=rng.randint(90, 720)),
            "status": rng.choice(statuses), "percent": rng.randint(0, 100),
            "last_update_on": start + timedelta(days=rng.randint(0, 400)) if rng.random() < 0.8 else None,
            "is_demo": False,
        })
        for indicator in rng.sample(indicators, rng.randint(1, 3)):
            targets.append({"commitment_id": number, "indicator_id": indicator, "baseline_level": 1,
                            "target_level": 3, "baseline_source": "self_assessed"})
        for step in range(rng.randint(2, 4)):
            due = start + timedelta(days=90 * (step + 1))
            milestones.append({"commitment_id": number, "title": f"Tonggak {step + 1}", "due_on": due,
                               "done_on": due if rng.random() < 0.5 else None})
    db.session.execute(insert(Commitment), commitments)
    db.session.execute(insert(CommitmentTarget), targets)
    db.session.execute(insert(Milestone), milestones)
    db.session.commit()


def measure(client, url: str, rounds: int) -> list[float]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def run(size: int, rounds: int, database_url: str | None) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "SEARCH_DRAIN": "off",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder}/bench.db",
            "SEARCH_INDEX_DIR": f"{folder}/index", "UPLOAD_DIR": f"{folder}/uploads",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "RATELIMIT_ENABLED": False,
        })
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_reference_content()
            coordinator = register_user("coordinator@bench.example.org", "Koordinator", "kata-sandi-uji-panjang")
            coordinator.role = Role.COORDINATOR
            owner = register_user("owner@bench.example.org", "Pemilik", "kata-sandi-uji-panjang", regency_code="3211")
            owner.role = Role.OFFICIAL
            db.session.commit()
            seed(size, random.Random(size))
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("ANALYZE"))
                db.session.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = coordinator.get_id()
            results = {name: measure(client, url, rounds) for name, url in PAGES.items()}
            db.session.remove()
            db.drop_all()
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (dropped and refilled)")
    args = parser.parse_args()
    print(f"{'page':40} {'size':>7} {'median ms':>10} {'p95 ms':>8} {'× home':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        results = run(size, args.rounds, args.database_url)
        home = statistics.median(results["home (reference)"])
        for name, times in results.items():
            median = statistics.median(times)
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            print(f"{name:40} {size:>7} {median:>10.1f} {p95:>8.1f} {median / home:>7.1f}")


if __name__ == "__main__":
    main()
