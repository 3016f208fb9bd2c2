"""Check the outputs stored in the notebooks, which are all the docs site shows (Quarto renders with --no-execute).

usage: python tools/check_outputs.py [NOTEBOOK ...]

Fails (exit 1, one line per problem) when a stored output is an error or a traceback, when a cell that draws a figure
or shows a result has no stored output, when an output is a progress bar or a widget's state (the site cannot show
either), when one output is larger than MAX_OUTPUT_BYTES, or when the home page (index.ipynb) no longer shows every
results block of README.md. Cells that nbdev_test skips (test flags, `#| eval: false`) are not expected to have
outputs. Prints one summary line: notebooks, cells with outputs, images, and the size of nbs/.
"""

import argparse, ast, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
MAX_OUTPUT_BYTES = 400_000
FLAGS = {'slow', 'gpu'}
# calls that always leave an image behind: matplotlib's drawing calls, the notebooks' show_* helpers, an Image shown
DRAWS = re.compile(r'^(?:show_(?!doc$)\w+|Image|subplots|imshow|matshow)$')
# calls that return a figure: a cell ending in one shows it
FIGURE_CALL = re.compile(r'(?:^|_)(?:figure|panel|strip)$|^(?:side_by_side|prediction_rows)$')
# a last expression of these kinds shows something: the cell must have stored some output
SHOWS = (ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.JoinedStr, ast.Tuple, ast.List, ast.Dict)
SHOW_CALLS = {'display', 'print', 'Markdown', 'HTML', 'Image'}


def directives(src: str) -> dict:
    "nbdev's `#|` directives at the top of a cell, as {name: value}."
    out = {}
    for line in src.splitlines():
        if not line.startswith('#|'):
            break
        name, _, value = line[2:].strip().partition(' ')
        out[name.rstrip(':')] = value.strip()
    return out


def skipped(src: str) -> bool:
    "Whether nbdev_test skips the cell, so it has no outputs to store."
    d = directives(src)
    return bool(FLAGS & d.keys()) or d.get('eval', '').lower() == 'false'


def statements(src: str) -> list[ast.stmt]:
    "The cell's top-level statements, IPython magics left out ([] if it does not parse)."
    code = '\n'.join(line for line in src.splitlines() if not line.lstrip().startswith(('%', '!')))
    try:
        return ast.parse(code).body
    except SyntaxError:
        return []


def draws(src: str) -> bool:
    "Whether the cell stores an image: it ends in a call that returns a figure, or draws one and closes none."
    body = statements(src)
    last = body[-1].value if body and isinstance(body[-1], ast.Expr) else None
    if isinstance(last, ast.Call) and FIGURE_CALL.search(call_name(last)):
        return True
    names = [call_name(c) for st in runs(src) for c in unconditional_calls(st)]
    return any(DRAWS.search(n) for n in names) and 'plt.close(' not in src


def call_name(call: ast.Call) -> str:
    "The name a call is made by: `f` for `f(...)` and `m.f(...)`."
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, 'attr', '')


def runs(src: str) -> list[ast.stmt]:
    "The statements the cell runs at its top level: definitions of functions and classes left out."
    return [s for s in statements(src) if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]


def unconditional_calls(node: ast.AST):
    "The calls under `node` that run whatever the data: those under an `if` or a `try` may not."
    if isinstance(node, ast.Call):
        yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.If, ast.IfExp, ast.Try, ast.FunctionDef, ast.Lambda)):
            yield from unconditional_calls(child)


def should_show(src: str) -> bool:
    "Whether the cell displays something: it prints or displays, or ends in an expression with a value to show."
    if any(call_name(c) in {'print', 'display'} for s in runs(src) for c in unconditional_calls(s)):
        return True
    body = statements(src)
    if not body or not isinstance(body[-1], ast.Expr):
        return False
    value = body[-1].value
    if isinstance(value, ast.Call):
        return call_name(value) in SHOW_CALLS
    return isinstance(value, SHOWS)


def output_problems(out: dict) -> list[str]:
    "What is wrong with one stored output, if anything."
    problems = []
    if out.get('output_type') == 'error':
        problems.append(f"error output {out.get('ename')}: {out.get('evalue', '')[:80]}")
    text = ''.join(out.get('text', [])) + ''.join(out.get('data', {}).get('text/plain', []))
    if 'Traceback (most recent call last)' in text:
        problems.append('a traceback is printed')
    if '\x1b[' in text:
        problems.append('terminal control codes are stored (a static page shows them as junk)')
    if out.get('name') == 'stderr' and ('\r' in text or re.search(r'\d+it/s|s/it\]', text)):
        problems.append('a progress bar is stored')
    if 'application/vnd.jupyter.widget-view+json' in out.get('data', {}):
        problems.append("a widget's state is stored (the site cannot show it: store a static view)")
    if (size := len(json.dumps(out))) > MAX_OUTPUT_BYTES:
        problems.append(f'one output is {size / 1e3:.0f} kB (limit {MAX_OUTPUT_BYTES / 1e3:.0f} kB)')
    return problems


def has_image(outputs: list) -> bool:
    return any(k.startswith('image/') for o in outputs for k in o.get('data', {}))


def check_notebook(path: Path) -> tuple[list[str], int, int]:
    "Problems in one notebook, its number of cells with outputs and its number of images."
    problems, with_outputs, images = [], 0, 0
    cells = json.loads(path.read_text())['cells']
    for i, cell in enumerate(c for c in cells if c['cell_type'] == 'code'):
        src, outputs = ''.join(cell['source']), cell.get('outputs', [])
        where = f'{path.name} code cell {i + 1}'
        with_outputs += bool(outputs)
        images += sum(k.startswith('image/') for o in outputs for k in o.get('data', {}))
        problems += [f'{where}: {p}' for o in outputs for p in output_problems(o)]
        if skipped(src):
            continue
        if draws(src) and not has_image(outputs):
            problems.append(f'{where}: draws a figure but stores no image (run tools/refresh_outputs.py)')
        elif should_show(src) and not outputs:
            problems.append(f'{where}: shows a result but stores no output (run tools/refresh_outputs.py)')
    return problems, with_outputs, images


def home_page_problems(index: Path, readme: Path) -> list[str]:
    "The home page shows README.md: every table row of README's results blocks must be in its stored output."
    shown = ''.join(
        ''.join(o.get('data', {}).get('text/markdown', []))
        for c in json.loads(index.read_text())['cells']
        for o in c.get('outputs', [])
    )
    blocks = re.findall(r'<!-- results:([\w-]+):start -->(.*?)<!-- results:\1:end -->', readme.read_text(), flags=re.S)
    if not blocks:
        return ['README.md has no results blocks']
    return [
        f'{index.name}: the home page does not show README results block {name!r} as it is now '
        '(run tools/refresh_outputs.py nbs/index.ipynb)'
        for name, block in blocks
        if any(line not in shown for line in block.splitlines() if line.startswith('|'))
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebooks', nargs='*')
    a = ap.parse_args()
    paths = [Path(p).resolve() for p in a.notebooks] or sorted((root / 'nbs').glob('*.ipynb'))
    if missing := [str(p) for p in paths if not p.is_file()]:
        ap.error(f'no such notebooks: {missing}')
    problems, with_outputs, images = [], 0, 0
    for path in paths:
        p, n, k = check_notebook(path)
        problems, with_outputs, images = problems + p, with_outputs + n, images + k
        if path.name == 'index.ipynb':
            problems += home_page_problems(path, root / 'README.md')
    size = sum(
        f.stat().st_size for f in (root / 'nbs').rglob('*') if f.is_file() and '.ipynb_checkpoints' not in f.parts
    )
    for line in problems:
        print(line)
    print(
        f'stored outputs: {len(paths)} notebooks, {with_outputs} cells with outputs, {images} images, '
        f'nbs/ {size / 1e6:.1f} MB; {len(problems)} problems'
    )
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
