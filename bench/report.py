"""What every benchmark does with its report: a header line, then the Markdown saved under bench/results/."""

import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def header(title: str) -> list[str]:
    return [f"# {title}", f"python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}"]


def save(name: str, lines: list[str]) -> None:
    """Write the report to bench/results/<name>-<date-time>.md and print it."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M')}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
