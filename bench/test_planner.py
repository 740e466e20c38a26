"""The planner benchmark as pytest runs it (``scripts/bench``; alone: ``BENCH_CLOUDS=planner``).

Writes ``planner.json`` into ``BENCH_RESULTS``; ``bench.report`` judges it. Nothing is
asserted about the figures here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench import planner


def test_planner() -> None:
    """Seeded nights: the planner carried out, the reference optimum, the comparisons."""
    folder = Path(os.environ.get("BENCH_RESULTS", "bench-results"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planner.json").write_text(json.dumps(planner.run(), default=str))
