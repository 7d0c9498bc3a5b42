"""Page speed benchmark: each page served by gunicorn (2 sync workers) and loaded by wrk on 127.0.0.1, against a
Flask hello-world served the same way in the same run. Run: make bench-web (SETS=demo,scaled DURATION=10).

Data sets, each in a fresh SQLite database set up with the app's own commands (`make setup-db`'s steps):
- demo: the reference data and the demo content, as `make run` serves it;
- scaled: the demo plus 10,000 published pieces with Markdown bodies, 2,000 commitments and synthetic results
  for all 514 regencies in each of the five evaluated years; the search index is rebuilt from them.

For each data set the hello-world (`bench/hello_app.py`) is loaded before and after the app's pages; ratios are
against the mean of the two, and both are printed, so drift during the run shows. Every request carries
`Accept-Encoding: gzip, deflate, br, zstd` as Chrome and Firefox send it, so the app answers with zstd
(`--accept-encoding gzip` measures a browser without it). Signed-in pages are loaded as a demo account signed in
through the login form: the dashboard as the coordinator, the others as an official with unread notifications.
Reported per page: requests per second, p50 and p99 latency in ms, the size of one response as sent, the ratio to
hello-world and the issue's target for it. The report is written to bench/results/web-<date-time>.md.
"""

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import report  # noqa: E402

PASSWORD = "livinglab-demo-2026"  # the demo accounts' password (flask demo logins)
COORDINATOR = "koordinator@livinglab.example.org"
OFFICIAL = "sumedang@livinglab.example.org"  # an official with unread notifications in the demo
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # as Chrome (since 123) and Firefox (since 126) send it
HEADERS = {"Accept-Encoding": BROWSER_ENCODINGS}


@dataclass
class Page:
    name: str
    path: str
    target: float  # the least acceptable ratio to hello-world
    user: str | None = None  # the demo account the page is loaded as, signed in
    p99_ms: float | None = None  # the most acceptable p99, where the issue sets one


@dataclass
class Result:
    requests_per_second: float
    p50: float
    p99: float
    errors: int


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'livinglab.db'}",
        "SEARCH_INDEX_DIR": str(folder / "index"),
        "UPLOAD_DIR": str(folder / "uploads"),
        "SECRET_KEY": "bench-web-secret",
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
        "RATELIMIT_ENABLED": "0",  # one client address sends every request
        "SEARCH_DRAIN": "off",
        "DEMO_MODE": "1",
        "BENCH_DB": str(folder / "livinglab.db"),
    }


def flask(env: dict[str, str], *args: str, check: bool = True) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=check,
                   stdout=subprocess.DEVNULL, stderr=None if check else subprocess.DEVNULL)


def scale(env: dict[str, str], pieces: int, commitments: int) -> None:
    """Add synthetic pieces, commitments and results for every regency to the demo database."""
    from commitments_bench import seed as seed_commitments
    from evaluations_bench import sheet
    from rebuild_bench import seed as seed_pieces
    from sqlalchemy import func, select

    from livinglab import create_app
    from livinglab.clock import lab_today
    from livinglab.commitments.models import Commitment
    from livinglab.demo.evaluations import evaluated_years
    from livinglab.evaluations.services import read_sheet
    from livinglab.extensions import db
    from livinglab.pieces.models import Piece
    from livinglab.results.services import import_results

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SEARCH_INDEX_DIR": env["SEARCH_INDEX_DIR"],
                      "UPLOAD_DIR": env["UPLOAD_DIR"], "SECRET_KEY": env["SECRET_KEY"], "SEARCH_DRAIN": "off"})
    with app.app_context():
        seed_pieces(pieces, first_id=(db.session.scalar(select(func.max(Piece.id))) or 0) + 1, markdown=True)
        seed_commitments(commitments, random.Random(commitments),
                         first_id=(db.session.scalar(select(func.max(Commitment.id))) or 0) + 1,
                         owner_email="sumedang@livinglab.example.org")
        for year in evaluated_years():
            checked = read_sheet("hasil.csv", sheet(year, year), lab_today().year)
            assert not checked.problems, checked.problems[:3]
            import_results(checked.rows, None, "Synthetic results for the page benchmark", synthetic=True,
                           notify=False)
            db.session.commit()
        db.session.remove()


def pages_for(env: dict[str, str], scaled: bool) -> list[Page]:
    """The pages measured, with a piece and a commitment that exist in this data set."""
    from sqlalchemy import select

    from livinglab import create_app
    from livinglab.commitments.models import Commitment
    from livinglab.extensions import db
    from livinglab.pieces.models import Piece, PieceStatus

    app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": env["SECRET_KEY"],
                      "SEARCH_DRAIN": "off"})
    with app.app_context():
        published = select(Piece).where(Piece.status == PieceStatus.PUBLISHED).order_by(Piece.id)
        piece = db.session.scalars(published.where(Piece.slug.like("bench-%")) if scaled else published).first()
        commitment = db.session.scalars(select(Commitment).order_by(Commitment.id)).first()
        piece_path, commitment_path = f"/pieces/{piece.id}/{piece.slug}", f"/commitments/{commitment.id}"
        db.session.remove()
    return [
        Page("home", "/", 0.20, p99_ms=50),
        Page("piece page", piece_path, 0.20, p99_ms=50),
        Page("/healthz", "/healthz", 0.10),
        Page("/pieces", "/pieces", 0.10),
        Page("/indicators", "/indicators", 0.10),
        Page("/indicators/I43", "/indicators/I43", 0.10),
        Page("/regencies", "/regencies", 0.10),
        Page("/regencies/3211", "/regencies/3211", 0.10),
        Page("/commitments", "/commitments", 0.10),
        Page("a commitment", commitment_path, 0.10),
        Page("/impact", "/impact", 0.10),
        Page("search \"pusat data\"", "/search?q=pusat+data", 0.05),
        Page("home, signed in (official)", "/", 0.10, user=OFFICIAL),
        Page("dashboard (coordinator)", "/coordinator", 0.10, user=COORDINATOR),
        Page("notifications (official)", "/notifications", 0.10, user=OFFICIAL),
    ]


def serve(env: dict[str, str], port: int, app: str, chdir: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--chdir", str(chdir), app],
        env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"gunicorn on port {port} did not answer")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def sign_in(base: str, email: str) -> str:
    """The Cookie header of a browser signed in as a demo account through the login form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=data).read()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "session" in cookies, "sign-in failed"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(url: str, headers: dict[str, str]) -> int:
    """Request the page once (warming the workers) and return the size of the response as sent."""
    request = urllib.request.Request(url, headers=headers)
    for _ in range(4):  # both workers, twice
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200, (url, response.status)
            body = response.read()
    return len(body)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load(url: str, headers: dict[str, str], seconds: int, connections: int) -> Result:
    command = ["wrk", "--threads", "2", "--connections", str(connections), "--duration", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: .*", output)
    if socket_errors:
        print(f"  wrk: {socket_errors.group(0)}", flush=True)
    return Result(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), latency("50"), latency("99"),
                  int(errors.group(1)) if errors else 0)


def build_set(env: dict[str, str], scaled: bool, pieces: int = 10_000, commitments: int = 2_000) -> None:
    """The demo data set in `env`'s fresh database, with the app's own commands; `scaled` adds the synthetic
    pieces, commitments and results."""
    flask(env, "db", "upgrade")
    flask(env, "content", "load")
    flask(env, "demo", "load")
    if scaled:
        scale(env, pieces, commitments)
        # Bulk inserts skip the HTML a save stores; a commit before `content rerender` existed has nothing to do.
        flask(env, "content", "rerender", check=False)
        flask(env, "search", "rebuild")
    else:
        flask(env, "search", "sync")


def measure_set(name: str, folder: Path, scaled: bool, args, port: int) -> list[str]:
    env = environment(folder)
    started = time.perf_counter()
    build_set(env, scaled, args.pieces, args.commitments)
    wanted = [word for word in args.pages.split(",") if word]
    pages = [page for page in pages_for(env, scaled) if not wanted or any(word in page.name for word in wanted)]
    print(f"\n{name}: data set ready in {time.perf_counter() - started:.0f} s", flush=True)

    def hello() -> Result:
        server = serve(env, port, "hello_app:app", BENCH)
        try:
            fetch(f"http://127.0.0.1:{port}/", HEADERS)
            return load(f"http://127.0.0.1:{port}/", HEADERS, args.duration, args.connections)
        finally:
            stop(server)

    before = hello()
    server = serve(env, port, "hello_app:app", BENCH)
    try:
        fetch(f"http://127.0.0.1:{port}/rows", HEADERS)
        rows = load(f"http://127.0.0.1:{port}/rows", HEADERS, args.duration, args.connections)
    finally:
        stop(server)
    server = serve(env, port, "wsgi:app", ROOT)
    measured: list[tuple[Page, Result, int]] = []
    try:
        base = f"http://127.0.0.1:{port}"
        cookies = {page.user: sign_in(base, page.user) for page in pages if page.user}
        for page in pages:
            headers = {**HEADERS, "Cookie": cookies[page.user]} if page.user else HEADERS
            size = fetch(base + page.path, headers)
            result = load(base + page.path, headers, args.duration, args.connections)
            measured.append((page, result, size))
            print(f"  {page.name:28} {result.requests_per_second:8.0f} req/s  p50 {result.p50:6.1f} ms  "
                  f"p99 {result.p99:6.1f} ms", flush=True)
    finally:
        stop(server)
    after = hello()
    ceiling = statistics.mean([before.requests_per_second, after.requests_per_second])
    lines = [
        f"\n### {name}\n",
        f"Flask hello-world: {before.requests_per_second:,.0f} req/s before the pages, "
        f"{after.requests_per_second:,.0f} after (p99 {before.p99:.1f} / {after.p99:.1f} ms); ratios are against "
        f"their mean, {ceiling:,.0f}.\n",
        "| page | req/s | × hello-world | p50 ms | p99 ms | bytes sent | target | met |",
        "|---|---|---|---|---|---|---|---|",
        f"| bare template + 20-row query | {rows.requests_per_second:,.0f} | "
        f"{rows.requests_per_second / ceiling:.3f} | {rows.p50:.1f} | {rows.p99:.1f} | | | |",
    ]
    for page, result, size in measured:
        ratio = result.requests_per_second / ceiling
        target = f"≥ {page.target:.2f}×" + (f", p99 ≤ {page.p99_ms:.0f}" if page.p99_ms else "")
        met = ratio >= page.target and (page.p99_ms is None or result.p99 <= page.p99_ms) and not result.errors
        errors = f" ({result.errors} errors)" if result.errors else ""
        label = f"{page.name} (`{page.path}`)" if page.path != page.name else f"`{page.path}`"
        lines.append(f"| {label}{errors} | {result.requests_per_second:,.0f} | {ratio:.3f} | {result.p50:.1f} | "
                     f"{result.p99:.1f} | {size:,} | {target} | {'yes' if met else 'no'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="demo,scaled")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pieces", type=int, default=10_000)
    parser.add_argument("--commitments", type=int, default=2_000)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--accept-encoding", default=BROWSER_ENCODINGS)
    parser.add_argument("--pages", default="", help="measure only the pages whose name contains one of these "
                        "comma-separated words (default: all)")
    args = parser.parse_args()
    HEADERS["Accept-Encoding"] = args.accept_encoding
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench-web` installs it (apt-get install wrk).")
    lines = report.header("Page speed benchmark (gunicorn, 2 sync workers; wrk)")
    lines.append(f"{args.connections} connections, {args.duration} s per page, "
                 f"Accept-Encoding: {args.accept_encoding}; "
                 f"{os.cpu_count()} CPUs, load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="livinglab-web-") as work:
        for name in args.sets.split(","):
            folder = Path(work) / name
            folder.mkdir()
            title = (f"scaled: demo + {args.pieces:,} pieces, {args.commitments:,} commitments, 514 regencies × 5 "
                     "years of results") if name == "scaled" else "demo data (make run)"
            lines += measure_set(title, folder, name == "scaled", args, args.port)
            report.save("web", lines)  # after each set, so a failure later loses nothing


if __name__ == "__main__":
    main()
