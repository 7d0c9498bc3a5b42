"""Where one page's time goes: served in-process many times, profiled, and summed by kind of work.
Run: make profile-page PAGE=/notifications AS=sumedang@livinglab.example.org (SET=demo|scaled, REQUESTS=200).

The data set is built as `make bench-web` builds it (demo, or demo + 10,000 pieces, 2,000 commitments and 514
regencies × 5 years of results) in bench/results/profile-<set>/ and reused on the next run. The page is served
by the test client with the page store on, as in production (a kept page or body is served as kept); the first
requests warm it. Printed: CPU milliseconds per request (the least and the median of 11 batches), the SQL
statements one request runs, and the profile's own time summed by kind of work.
"""

import argparse
import cProfile
import pstats
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import web_bench  # noqa: E402

KINDS = [  # first match wins: (kind, pattern on "file:function")
    ("database driver (SQL run and rows fetched)", r"sqlite3\.Cursor|psycopg|\{method '(execute|fetch\w*)' of"),
    ("SQLAlchemy (statements built, results turned into objects)", r"site-packages/sqlalchemy/"),
    ("templates (Jinja and the app's templates)", r"site-packages/jinja2/|livinglab/templates/|markupsafe"),
    ("translation and dates (Babel)", r"site-packages/(flask_)?babel/|livinglab/i18n\.py"),
    ("compression", r"flask_compress|zstd|brotli|gzip|zlib"),
    ("Flask, Werkzeug, sessions, Flask-Login, Flask-WTF", r"site-packages/(flask|werkzeug|itsdangerous|flask_\w+)/"),
    ("the app's own Python", r"livinglab/"),
]


PYTHON = "Python itself (builtins, standard library)"


def kind_of(where: str) -> str:
    for kind, pattern in KINDS:
        if re.search(pattern, where):
            return kind
    return PYTHON


def build(set_name: str) -> Path:
    folder = ROOT / "bench" / "results" / f"profile-{set_name}"
    if (folder / "livinglab.db").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    web_bench.build_set(web_bench.environment(folder), set_name == "scaled")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", required=True)
    parser.add_argument("--as", dest="email", default="", help="a demo account's e-mail (default: a visitor)")
    parser.add_argument("--set", default="demo", choices=["demo", "scaled"])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    folder = build(args.set)

    from sqlalchemy import event, select

    from livinglab import create_app
    from livinglab.accounts.models import User
    from livinglab.accounts.signins import start_sign_in
    from livinglab.extensions import db

    env = web_bench.environment(folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
                      "UPLOAD_DIR": env["UPLOAD_DIR"], "SECRET_KEY": "profile", "SEARCH_DRAIN": "off",
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    headers = {"Accept-Encoding": web_bench.BROWSER_ENCODINGS}
    if args.email:
        with app.test_request_context():
            user = db.session.scalar(select(User).where(User.email == args.email))
            if user is None:
                sys.exit(f"No account {args.email} in the {args.set} data set.")
            start_sign_in(user, "profile", remember=False)
            db.session.commit()
            session_id = user.get_id()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
    for _ in range(4):
        response = client.get(args.page, headers=headers)
    if response.status_code != 200:
        sys.exit(f"{args.page} answered {response.status_code}")

    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda _c, _cu, statement, *_a: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    client.get(args.page, headers=headers)
    event.remove(engine, "before_cursor_execute", listener)

    batches = []
    per_batch = max(1, args.requests // 10)
    for _ in range(11):
        started = time.process_time()
        for _ in range(per_batch):
            client.get(args.page, headers=headers)
        batches.append((time.process_time() - started) / per_batch * 1000)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.page, headers=headers)
    profile.disable()

    spent: Counter[str] = Counter()
    stats = pstats.Stats(profile).stats
    for (file, _line, function), (_calls, _primitive, own, _cumulative, callers) in stats.items():
        kind = kind_of(f"{file}:{function}")
        if kind != PYTHON or not callers:
            spent[kind] += own
            continue
        # A builtin or the standard library works for whoever called it: share its time among its callers.
        weights = {caller: timing[3] for caller, timing in callers.items()}
        whole = sum(weights.values()) or 1.0
        for (caller_file, _caller_line, caller_function), weight in weights.items():
            spent[kind_of(f"{caller_file}:{caller_function}")] += own * weight / whole
    total = sum(spent.values())
    print(f"{args.page} ({args.set}{', signed in as ' + args.email if args.email else ', a visitor'}): "
          f"{min(batches):.2f} ms CPU per request at least, {statistics.median(batches):.2f} median; "
          f"{len(statements)} SQL statements; {len(response.data):,} bytes sent")
    for kind, seconds in spent.most_common():
        print(f"  {seconds / total * 100:5.1f} %  {kind}")


if __name__ == "__main__":
    main()
