#!/usr/bin/env bash
# The project's test command: notebook hygiene, then every notebook executed as tests.
# Extra nbdev test flags (e.g. "slow" or "slow gpu") come from $SIMVP_TEST_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
if git rev-parse --git-dir >/dev/null 2>&1; then
  nbdev_export
  git diff --exit-code --stat -- simvp_nb || { echo "FAIL: simvp_nb/ is out of step with nbs/ (run nbdev_export and commit)"; exit 1; }
  nbdev_clean
  git diff --exit-code --stat -- nbs || { echo "FAIL: notebooks are not clean (run nbdev_clean and commit)"; exit 1; }
fi
ruff format --check --quiet nbs || { echo "FAIL: notebooks are not formatted (run ruff format nbs, then nbdev_export)"; exit 1; }
echo "ruff format: ok"
python tools/check_outputs.py || { echo "FAIL: stored outputs (run python tools/refresh_outputs.py on the notebooks named)"; exit 1; }
nbdev_proc_nbs >/dev/null
echo "nbdev_proc_nbs: ok"
python tools/site_check.py all || { echo "FAIL: the docs stand-in (_site_check/) has failures (see above)"; exit 1; }
workers="${SIMVP_TEST_WORKERS:-2}"
# one torch thread pool per core: notebooks run side by side, and oversubscribed pools spin against each other
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(( $(nproc) / workers > 0 ? $(nproc) / workers : 1 ))}"
n=$(find nbs -name '*.ipynb' -not -name '_*' -not -path '*/.*' | wc -l)  # what nbdev_test runs
nbdev_test --n_workers "$workers" --flags "${SIMVP_TEST_FLAGS:-}" --do_print --timing \
  && echo "notebooks: $n passed, 0 failed" \
  || { echo "notebooks: some failed (see above)"; exit 1; }
