"""A stand-in of the docs site, checked in headless Chromium.

Quarto cannot run here, so `render` turns nbdev's processed notebooks (`_proc/`, written by `nbdev_proc_nbs`) into HTML
pages with nbconvert, showing the stored outputs as Quarto does with --no-execute, and `check` serves those pages on
127.0.0.1 and checks every one in Debian's chromium through Playwright. `all` does both.

    python tools/site_check.py all
"""

import argparse
import contextlib
import functools
import io
import json
import os
import posixpath
import re
import shutil
import sys
import threading
from dataclasses import dataclass
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urldefrag, urlsplit

import yaml

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = '/usr/bin/chromium'
INSTALL_CHROMIUM = 'apt-get update && apt-get install -y chromium'
SCREENSHOTS = ('index', '06_viz')
PAGE_SUFFIXES = ('.ipynb', '.qmd', '.md')
MANIFEST = 'pages.json'
LOCAL_FILES = '_local'

TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- the stand-in loads nothing from the network: no require.js, MathJax or mermaid from a CDN -#}
{% block html_head_js %}{% endblock html_head_js %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}
{%- for css in resources.site_css %}<link rel="stylesheet" href="{{ css }}">{% endfor %}
<style>
nav.site-nav { position: absolute; top: 0; left: 0; box-sizing: border-box; width: 16rem; padding: 1rem;
  font-family: sans-serif; font-size: 0.9rem; border-right: 1px solid #ddd; border-bottom: 1px solid #ddd; }
nav.site-nav ul { list-style: none; padding-left: 0.8rem; }
nav.site-nav a.active { font-weight: bold; }
body.jp-Notebook { margin-left: 17rem; }
header.title-block { font-family: sans-serif; }
</style>
{% endblock extra_css %}
{% block body_header %}
{{ super() }}
{{ resources.site_nav }}
<header class="title-block"><h1 class="title">{{ resources.page_title | e }}</h1>
<p class="description">{{ resources.page_description | e }}</p></header>
{% endblock body_header %}
{% block error %}<div class="site-error-output">{{ super() }}</div>{% endblock error %}
"""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f'{self.prog}: {message} (usage: {self.prog} render|check|all [--out DIR] [--chromium PATH])\n')


@dataclass
class Page:
    source: str  # the notebook, relative to nbs/ (and to _proc/)
    html: str  # its page, relative to the site
    title: str
    description: str


def pandoc_id(text: str) -> str:
    "The id pandoc (so Quarto) gives a heading: letters, digits, '_', '-' and '.' kept, spaces to '-', lowercased."
    text = re.sub(r'\s+', '-', re.sub(r'[^\w\s.-]', '', text.strip().lower()))
    return re.sub(r'^[\W\d_]+', '', text) or 'section'


def front_matter(nb) -> dict:
    "nbdev's front matter (the first raw cell, `---` fenced YAML), removed from `nb`."
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == 'raw' and cell.source.lstrip().startswith('---'):
            del nb.cells[i]
            return yaml.safe_load(cell.source.strip().strip('-')) or {}
    return {}


def cell_options(source: str) -> tuple[dict, str]:
    "A code cell's Quarto options (`#| key: value` lines at its top) and its source without them."
    lines = source.splitlines()
    options = {}
    while lines and lines[0].startswith('#|'):
        key, sep, value = lines.pop(0)[2:].partition(':')
        if sep:
            options[key.strip()] = yaml.safe_load(value) if value.strip() else None
    return options, '\n'.join(lines)


def drop_link_attributes(text: str) -> str:
    "Pandoc link attributes (`[a](b){target=...}`) removed: Quarto applies them, nbconvert would show them as text."
    return re.sub(r'(\]\([^)\s]*\))\{[^}\n]*\}', r'\1', text)


def prepare(nb):
    "Tag cells as Quarto options ask (echo, output, include: false) and strip the options, as Quarto shows cells."
    for cell in nb.cells:
        if cell.cell_type == 'markdown':
            cell.source = drop_link_attributes(cell.source)
            continue
        if cell.cell_type != 'code':
            continue
        options, cell.source = cell_options(cell.source)
        tags = cell.metadata.setdefault('tags', [])
        if options.get('include') is False:
            tags.append('site-remove-cell')
        if options.get('echo') is False:
            tags.append('site-remove-input')
        if options.get('output') is False:
            tags.append('site-remove-output')
        for output in cell.get('outputs', []):
            markdown = output.get('data', {}).get('text/markdown')
            if markdown:
                output.data['text/markdown'] = drop_link_attributes(markdown)


def exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    html = HTMLExporter(
        template_name='lab',
        template_file='site.html.j2',
        extra_loaders=[DictLoader({'site.html.j2': TEMPLATE})],
        exclude_anchor_links=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    html.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={'site-remove-cell'},
            remove_input_tags={'site-remove-input'},
            remove_all_outputs_tags={'site-remove-output'},
        ),
        enabled=True,
    )
    return html


def sidebar_items(cfg) -> list:
    "The sidebar nbdev_docs gives the site: the project's own `sidebar.yml` if custom, else nbdev_sidebar's."
    from nbdev.quarto import nbdev_sidebar

    if cfg.custom_sidebar:
        path = cfg.nbs_path / 'sidebar.yml'
        text = path.read_text() if path.is_file() else ''
    else:
        # not the sidebar.yml on disk: nbdev_proc_nbs writes it from its own file globs, nbdev_docs writes it anew
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            nbdev_sidebar.__wrapped__(printit=True)
        text = buffer.getvalue()
    return (yaml.safe_load(text) or {}).get('website', {}).get('sidebar', {}).get('contents', [])


def nav_html(items, pages: dict, here: Page) -> str:
    "The sidebar as nested lists of links, relative to the page `here`."
    entries = []
    for item in items:
        if isinstance(item, dict):
            inner = nav_html(item.get('contents', []), pages, here)
            label = item.get('section') or item.get('text') or ''
            entries.append(f'<li>{escape(label)}{inner}</li>')
            continue
        if not str(item).endswith(PAGE_SUFFIXES):
            continue  # Quarto shows pages only
        page = pages.get(str(item))
        target = page.html if page else str(PurePosixPath(item).with_suffix('.html'))
        label = page.title if page else str(item)
        active = ' class="active"' if page is here else ''
        href = posixpath.relpath(target, posixpath.dirname(here.html))
        entries.append(f'<li><a{active} href="{href}">{escape(label)}</a></li>')
    return '<ul>' + ''.join(entries) + '</ul>'


def site_base() -> str:
    from nbdev.config import get_config

    cfg = get_config()
    return cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/') + '/'


def relink(soup, page: Page, pages: dict, nbs: Path, out: Path, notes: list):
    "Links to notebooks made links to their pages, links to the published site made local, local files copied."
    base = site_base()
    here = posixpath.dirname(page.html)
    for tag, attr in (('a', 'href'), ('img', 'src'), ('source', 'src'), ('video', 'src')):
        for element in soup.find_all(tag, attrs={attr: True}):
            url, fragment = urldefrag(element[attr])
            suffix = f'#{fragment}' if fragment else ''
            if url.startswith(base):
                element[attr] = posixpath.relpath(url.removeprefix(base) or 'index.html', here) + suffix
                continue
            parts = urlsplit(url)
            if not url or parts.scheme or parts.netloc:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), unquote(parts.path)))
            if target in pages:
                element[attr] = posixpath.relpath(pages[target].html, here) + suffix
                continue
            file = (nbs / target).resolve()
            if not file.is_file():
                continue  # left as written: the browser check reports it
            if target.startswith('../'):
                notes.append(f'{page.html} uses {url}, outside {nbs.name}/: the Quarto site will not have it')
            inside = os.path.relpath(file, REPO).replace('..', '_up')
            copy = out / LOCAL_FILES / inside
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, copy)
            element[attr] = posixpath.relpath(f'{LOCAL_FILES}/{Path(inside).as_posix()}', here) + suffix


def set_heading_ids(soup):
    "Headings get the ids Quarto (pandoc) gives them, so links written for the site find them."
    seen = {}
    for heading in soup.find_all(re.compile(r'^h[1-6]$')):
        if 'title' in heading.get('class', []):
            continue
        anchor = pandoc_id(heading.get_text())
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        heading['id'] = f'{anchor}-{count}' if count else anchor


def hidden(path: Path, root: Path) -> bool:
    "Skipped by nbdev and Quarto: a name under `root` starting with '_' or '.'."
    return any(part.startswith(('_', '.')) for part in path.relative_to(root).parts)


def stale_notes(proc: Path, nbs: Path) -> list:
    "Notebooks whose processed copy is missing or older (nbdev's rule: the folder's time counts for every file)."
    notes, processed_at = [], proc.stat().st_mtime
    for original in sorted(p for p in nbs.rglob('*.ipynb') if not hidden(p, nbs)):
        processed = proc / original.relative_to(nbs)
        if not processed.exists():
            notes.append(f'{original.relative_to(REPO)} has no processed notebook in _proc/: run nbdev_proc_nbs')
        elif max(processed.stat().st_mtime, processed_at) < original.stat().st_mtime:
            notes.append(f'{processed.relative_to(REPO)} is older than its notebook: run nbdev_proc_nbs')
    return notes


def render(out: Path) -> int:
    "Write the stand-in site from `_proc/`; 0 when written, 1 when there is nothing to render."
    import nbformat
    from bs4 import BeautifulSoup
    from nbdev.config import get_config

    cfg = get_config()
    proc, nbs = cfg.config_path / '_proc', cfg.nbs_path
    sources = sorted(p for p in proc.rglob('*.ipynb') if not hidden(p, proc))
    if not sources:
        print(f'site_check: no notebooks in {proc}: run nbdev_proc_nbs first')
        return 1
    notes = stale_notes(proc, nbs)
    notebooks, pages = {}, {}
    for path in sources:
        nb = nbformat.read(path, as_version=4)
        meta = front_matter(nb)
        source = path.relative_to(proc).as_posix()
        html = posixpath.join(posixpath.dirname(source), meta.get('output-file', path.stem + '.html'))
        pages[source] = Page(source, html, str(meta.get('title', path.stem)), str(meta.get('description', '')))
        notebooks[source] = nb
    others = sorted(p.relative_to(proc).as_posix() for p in proc.rglob('*') if p.suffix in ('.qmd', '.md'))
    notes += [f'{name} is not rendered by the stand-in (notebooks only)' for name in others]

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    quarto = yaml.safe_load((proc / '_quarto.yml').read_text()) if (proc / '_quarto.yml').is_file() else {}
    css = quarto.get('format', {}).get('html', {}).get('css', [])
    css = [css] if isinstance(css, str) else css
    for name in css:
        if (proc / name).is_file():
            shutil.copy2(proc / name, out / name)
    items = sidebar_items(cfg)
    converter = exporter()
    for source, nb in notebooks.items():
        page = pages[source]
        prepare(nb)
        resources = {
            'metadata': {'name': page.title},
            'site_nav': f'<nav class="site-nav">{nav_html(items, pages, page)}</nav>',
            'site_css': [posixpath.relpath(name, posixpath.dirname(page.html)) for name in css],
            'page_title': page.title,
            'page_description': page.description,
        }
        body, _ = converter.from_notebook_node(nb, resources=resources)
        soup = BeautifulSoup(body, 'html.parser')
        set_heading_ids(soup)
        relink(soup, page, pages, nbs, out, notes)
        (out / page.html).parent.mkdir(parents=True, exist_ok=True)
        (out / page.html).write_text(str(soup))
    (out / MANIFEST).write_text(json.dumps({s: p.html for s, p in pages.items()}, indent=1))
    for note in dict.fromkeys(notes):
        print(f'note: {note}')
    print(f'render: {len(pages)} pages written to {out.relative_to(REPO) if out.is_relative_to(REPO) else out}/')
    return 0


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


PAGE_FACTS = """() => ({
  images: [...document.images].map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth})),
  links: [...new Set([...document.querySelectorAll('a[href]')].map(a => a.href))],
  ids: [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.getAttribute('name')),
  errorOutputs: document.querySelectorAll('.site-error-output').length,
  traceback: document.body.innerText.includes('Traceback (most recent call last)'),
  tables: [...document.querySelectorAll('main table')].filter(t => t.querySelector('td')).length,
})"""


def check(out: Path, chromium: str) -> int:
    "Check every page of the stand-in in headless Chromium; 0 when all pass, 1 on any failure."
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        print(f'site_check: no chromium at {chromium}: install it with `{INSTALL_CHROMIUM}`')
        return 1
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print('site_check: playwright is not installed: pip install -e ".[dev]"')
        return 1
    manifest = out / MANIFEST
    if not manifest.is_file():
        print(f'site_check: no stand-in site in {out}: run `python tools/site_check.py render` first')
        return 1
    pages = json.loads(manifest.read_text())
    server = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f'http://127.0.0.1:{server.server_address[1]}/'
    failures, facts, broken = [], {}, {}
    counts = {'images': 0, 'external_images': 0, 'links': 0, 'external_links': 0}

    def local(url: str) -> bool:
        return url.startswith((origin, 'data:'))

    def visit(context, html: str):
        problems = []

        def on_console(message):
            # a resource that fails to load is reported with its URL by on_response
            local_error = message.type == 'error' and local(message.location.get('url') or origin)
            if local_error and not message.text.startswith('Failed to load resource'):
                problems.append(f'console error: {message.text}')

        def on_response(response):
            # an image that does not load is reported by the image check
            if response.status >= 400 and response.request.resource_type != 'image':
                problems.append(f'HTTP {response.status} for {response.url.removeprefix(origin)}')

        def on_request_failed(request):
            if local(request.url):
                problems.append(f'request failed: {request.url.removeprefix(origin)} ({request.failure})')

        page = context.new_page()
        page.on('console', on_console)
        page.on('pageerror', lambda error: problems.append(f'script error: {error}'))
        page.on('response', on_response)
        page.on('requestfailed', on_request_failed)
        response = page.goto(origin + html, wait_until='load')
        if response is None or response.status != 200:
            problems.append(f'HTTP {response.status if response else "no response"}')
        facts[html] = page.evaluate(PAGE_FACTS)
        return page, problems

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        context = browser.new_context(viewport={'width': 1280, 'height': 900})
        # no network here: requests that leave 127.0.0.1 are refused at once rather than left to time out
        context.route(lambda url: not local(url), lambda route: route.abort())
        for source, html in pages.items():
            page, problems = visit(context, html)
            if Path(source).stem in SCREENSHOTS:
                (out / 'screenshots').mkdir(exist_ok=True)
                page.screenshot(path=out / 'screenshots' / f'{Path(source).stem}.png', full_page=True)
            page.close()
            failures += [f'{html}: {p}' for p in dict.fromkeys(problems)]
        browser.close()
    server.shutdown()

    for source, html in pages.items():
        seen = facts[html]
        for image in seen['images']:
            if not local(image['src']):
                counts['external_images'] += 1  # not loaded (no network); the page is checked without it
                continue
            counts['images'] += 1
            if image['width'] == 0:
                failures.append(f'{html}: image does not load: {image["src"].removeprefix(origin)}')
        if seen['errorOutputs']:
            failures.append(f'{html}: shows {seen["errorOutputs"]} error output(s)')
        if seen['traceback']:
            failures.append(f'{html}: shows a traceback')
        for link in seen['links']:
            url, fragment = urldefrag(link)
            if not url.startswith(origin):
                counts['external_links'] += urlsplit(url).scheme in ('http', 'https')
                continue
            counts['links'] += 1
            target = unquote(urlsplit(url).path).lstrip('/') or 'index.html'
            if not (out / target).is_file():
                broken.setdefault(f'{target}: no such page or file', []).append(html)
            elif fragment and target in facts and unquote(fragment) not in facts[target]['ids']:
                broken.setdefault(f'{target}#{fragment}: no such anchor', []).append(html)
    for what, sources in broken.items():
        shown = ', '.join(sources[:3]) + (f' and {len(sources) - 3} more' if len(sources) > 3 else '')
        failures.append(f'{what}, linked from {shown}')
    home = pages.get('index.ipynb')
    if home is None:
        failures.append('index: no home page (nbs/index.ipynb)')
    elif not facts[home]['tables']:
        failures.append(f'{home}: the home page shows no results table')
    for name in SCREENSHOTS:
        if not (out / 'screenshots' / f'{name}.png').is_file():
            failures.append(f'{name}: no page to screenshot')

    for failure in failures:
        print(f'FAIL {failure}')
    print(
        f'site check: {len(pages)} pages, {counts["images"]} images ({counts["external_images"]} external, not loaded), '
        f'{counts["links"]} local links ({counts["external_links"]} external, not followed); {len(failures)} failures'
    )
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = Parser(prog='site_check.py', description=__doc__.splitlines()[0])
    parser.add_argument('step', choices=['render', 'check', 'all'], help='render the stand-in, check it, or both')
    parser.add_argument(
        '--out', type=Path, default=REPO / '_site_check', help='the stand-in site (default _site_check)'
    )
    parser.add_argument('--chromium', default=CHROMIUM, help=f'the Chromium to drive (default {CHROMIUM})')
    args = parser.parse_args(argv)
    out = args.out.resolve()
    os.chdir(REPO)  # nbdev finds settings.ini from the working directory
    if args.step in ('render', 'all') and render(out):
        return 1
    if args.step in ('check', 'all'):
        return check(out, args.chromium)
    return 0


if __name__ == '__main__':
    sys.exit(main())
