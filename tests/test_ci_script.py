"""CI is reproducible and proves the suite's order does not matter (`.ci/run`)."""

from __future__ import annotations

import re
from pathlib import Path

CI_SCRIPT = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()


def test_ci_sets_ci_true_so_the_api_fuzzing_replays_the_same_examples():
    # tests/api/test_schemathesis.py derandomizes Hypothesis only when CI=true.
    assert re.search(r"^export CI=true$", CI_SCRIPT, re.MULTILINE)


def test_ci_runs_one_pass_in_a_shuffled_order_with_a_printed_seed():
    shuffled = [line for line in CI_SCRIPT.splitlines() if "CTPAT_TEST_ORDER=shuffle" in line]
    assert len(shuffled) == 1 and "CTPAT_TEST_SEED=" in shuffled[0]
    assert "run.py test" in shuffled[0]
