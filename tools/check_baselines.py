"""Rerun the baselines on the paper's eight test cuts and compare them, cell by cell, with the published tables.

The baselines need no training, so their scores in Tables 2 and 3 must come out digit for digit as published
(results/cpu-table2.md, results/cpu-table3.md) whenever the data and the evaluation are unchanged.
usage: python tools/check_baselines.py [results/cpu-table2.md ...]   (exit status 1 if any cell differs)
"""

import re, sys, tempfile
from pathlib import Path
from simvp_nb.baselines import BASELINES, INTERPOLATION_BASELINES
from simvp_nb.experiments import evaluate_run

NAMES = tuple(BASELINES) + tuple(INTERPOLATION_BASELINES)


def tables(text: str) -> dict:
    "{(section, cut, column): cell} for every Markdown table under a '### ' heading."
    cells, section, head = {}, None, None
    for line in text.splitlines():
        if line.startswith('### '):
            section, head = line[4:], None
        elif line.startswith('|') and not set(line) <= set('|-: '):
            row = [c.strip() for c in line.strip('|').split('|')]
            if head is None:
                head = row
            else:
                cells.update({(section, row[0], h): c for h, c in zip(head[1:], row[1:])})
    return cells


def main(paths):
    with tempfile.TemporaryDirectory() as d:
        evaluate_run(None, d)
        fresh = tables((Path(d) / 'results.md').read_text())
    bad = 0
    for path in paths:
        published = tables(Path(path).read_text())
        keys = [k for k in published if k[2].startswith(NAMES) and k in fresh]
        diff = [k for k in keys if published[k] != fresh[k]]
        bad += len(diff)
        print(f"{path}: {len(keys)} baseline cells compared, {len(diff)} differ")
        for k in diff[:10]:
            print(f"  {k}: published {published[k]}, now {fresh[k]}")
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:] or ['results/cpu-table2.md', 'results/cpu-table3.md']))
