#!/usr/bin/env node
// Mermaid's own parser and renderer, run in headless Chromium (Debian's `chromium` package) on a page that
// imports mermaid's ESM build from node_modules by file:// URL: the same code GitHub runs to draw a
// ```mermaid block. The tests parse every chart blue writes with it; this script also draws them.
//
//   node scripts/mermaid.mjs parse <file.md>              # prints one JSON result per ```mermaid block
//   node scripts/mermaid.mjs screenshot <file.md> <out.png> [width] [height]
//
// No browser driver: the page writes its results into the DOM, and `chromium --dump-dom` prints the DOM.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const MERMAID = join(dirname(require.resolve('mermaid')), 'mermaid.esm.min.mjs');
/** The browser: CHROMIUM names another one. */
const CHROMIUM = process.env.CHROMIUM ?? 'chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--hide-scrollbars', '--virtual-time-budget=60000'];

/** The ```mermaid blocks of a Markdown text, in order (fences at the start of a line, as blue writes them). */
export function mermaidBlocks(markdown) {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
}

function page(script) {
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">
<div id="charts"></div><pre id="results">pending</pre>
<script type="module">
import mermaid from ${JSON.stringify(pathToFileURL(MERMAID).href)};
const out = document.getElementById('results');
try {
  mermaid.initialize({ startOnLoad: false });
  ${script}
} catch (error) {
  out.textContent = JSON.stringify({ pageError: String(error && error.message || error) });
}
</script></body></html>`;
}

function runChromium(args) {
  return new Promise((resolvePromise, reject) => {
    execFile(CHROMIUM, [...FLAGS, ...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && error.code === 'ENOENT') {
        reject(new Error(`${CHROMIUM} is not installed: apt-get install -y chromium (or set CHROMIUM to a Chromium binary)`));
      } else if (error) {
        reject(new Error(`${CHROMIUM} failed (${error.code ?? error.signal}): ${stderr.split('\n').filter((l) => !/dbus|Fontconfig/.test(l)).join('\n').slice(-2000)}`));
      } else resolvePromise(stdout);
    });
  });
}

async function withPage(script, run) {
  const dir = mkdtempSync(join(tmpdir(), 'blue-mermaid-'));
  try {
    const file = join(dir, 'page.html');
    writeFileSync(file, page(script));
    return await run(pathToFileURL(file).href, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Parses each chart with `mermaid.parse`: `{ ok: true, type }` (the diagram type Mermaid recognised) or
 * `{ ok: false, error }` (Mermaid's own message). Throws when Chromium or the page itself fails.
 */
export async function parseCharts(charts) {
  const script = `
  const results = [];
  for (const chart of ${JSON.stringify(charts)}) {
    try { const parsed = await mermaid.parse(chart); results.push({ ok: true, type: parsed.diagramType }); }
    catch (error) { results.push({ ok: false, error: String(error && error.message || error) }); }
  }
  out.textContent = JSON.stringify({ results });`;
  // Chromium prints the DOM when its virtual time budget is spent; on a loaded machine that can come before
  // mermaid's modules have loaded from disk. Such a page has parsed nothing, so it is run again, up to
  // three times; a page that never finishes is still an error.
  let text = 'pending';
  for (let attempt = 1; attempt <= 3 && text === 'pending'; attempt++) {
    const dom = await withPage(script, (url) => runChromium(['--dump-dom', url]));
    const m = /<pre id="results">([\s\S]*?)<\/pre>/.exec(dom);
    if (!m) throw new Error('the Mermaid page printed no results');
    text = m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  if (text === 'pending') throw new Error('the Mermaid page did not finish in three tries (mermaid did not load?)');
  const doc = JSON.parse(text);
  if (doc.pageError) throw new Error(`the Mermaid page failed: ${doc.pageError}`);
  return doc.results;
}

/** Draws the charts one under the other, as GitHub shows them, into a PNG. */
export async function screenshotCharts(charts, png, { width = 820, height = 1050 } = {}) {
  const script = `
  let html = '';
  for (const [i, chart] of ${JSON.stringify(charts)}.entries()) {
    const { svg } = await mermaid.render('chart' + i, chart);
    html += '<div style="padding:16px">' + svg + '</div>';
  }
  document.getElementById('charts').innerHTML = html;
  out.textContent = '';`;
  await withPage(script, (url) => runChromium([`--window-size=${width},${height}`, `--screenshot=${resolve(png)}`, url]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, file, png, width, height] = process.argv.slice(2);
  const charts = file ? mermaidBlocks(readFileSync(file, 'utf8')) : [];
  if (command === 'parse' && file) {
    const results = await parseCharts(charts);
    for (const result of results) console.log(JSON.stringify(result));
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  } else if (command === 'screenshot' && file && png) {
    await screenshotCharts(charts, png, { ...(width ? { width: Number(width) } : {}), ...(height ? { height: Number(height) } : {}) });
    console.log(`${png}: ${charts.length} chart${charts.length === 1 ? '' : 's'} from ${file}`);
  } else {
    console.error('usage: node scripts/mermaid.mjs parse <file.md> | screenshot <file.md> <out.png> [width] [height]');
    process.exitCode = 2;
  }
}
