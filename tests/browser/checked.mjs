// Checks every kind of page of two built archives with axe-core (in headless Chromium, from
// file://) and with the Nu HTML Checker (vnu.jar, Java): the default archive, and one built from
// a generated corpus of 1,500 cables plus this repository's Markdown pages (listings with
// several pages, many tags, origins and classification levels).
//
// Kinds of page: home, cable (the longest, and one that marks a reference not in the archive),
// each listing (tag, month, year, origin, classification, signer, classifier, addressee; a second
// page of a paginated one) and the index pages of tags, months, origins, classifications, people
// and addressees, the timeline, the search page showing results, each Markdown page, 404.html,
// and the reference graph (cited but not in the archive, with its second page when there is
// one; the most-cited; a cable with a conversation).
//
// Fails (exit 1) on any axe violation of impact moderate or above, in light or dark mode, and
// on any error of the Nu checker, in the files as written and in each page's DOM once its
// scripts have run (search results included). Prints how many pages were checked and what was
// found.
//
//   cd tests/browser && npm ci && node checked.mjs [SITE...]
//
// Without SITE it builds the release binary and the generator (a no-op when they are up to
// date), then both archives into target/checked-*.

import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');
// Cargo's output folder: CARGO_TARGET_DIR when set (relative to the repository), target/ otherwise.
const release = path.resolve(repo, process.env.CARGO_TARGET_DIR || 'target', 'release');
const archive = path.join(release, 'archive');
const AXE = require.resolve('axe-core/axe.min.js');
const VNU = require('vnu-jar');
const SERIOUS = new Set(['moderate', 'serious', 'critical']);

function run(cmd, args, options = {}) {
  execFileSync(cmd, args, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], ...options });
}

/** The default archive, as `archive build` makes it from site.toml and content/. */
function buildDefault() {
  const out = path.join(repo, 'target/checked-default');
  run(archive, ['--quiet', 'build', '--output', out]);
  return out;
}

/** A generated corpus of 1,500 cables with the Markdown pages of content/pages. */
function buildGenerated() {
  const root = path.join(repo, 'target/checked-generated');
  const content = path.join(root, 'content');
  if (!fs.existsSync(path.join(content, 'cables'))) {
    fs.rmSync(root, { recursive: true, force: true });
    run(path.join(release, 'examples/generate'), ['--count', '1500', '--seed', '16', '--out', path.join(content, 'cables')]);
  }
  fs.cpSync(path.join(repo, 'content/pages'), path.join(content, 'pages'), { recursive: true });
  const out = path.join(root, 'public');
  // With the listings by addressee, which the default archive leaves out.
  const settings = path.join(root, 'site.toml');
  fs.writeFileSync(settings, 'addressee_pages = true\n');
  run(archive, ['--quiet', 'build', '--config', settings, '--content', content, '--output', out]);
  return out;
}

function files(site, dir) {
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  const full = path.join(site, dir);
  return fs.existsSync(full) ? walk(full).filter((f) => f.endsWith('.html')) : [];
}

/** One page of each kind (and every Markdown page): name → file, with an optional query. */
function pagesOf(site) {
  const need = (list, what) => {
    if (!list.length || !list[0]) throw new Error(`${site}: no ${what} page`);
    return list[0];
  };
  const cables = files(site, 'cable');
  const longest = cables
    .map((f) => ({ f, n: (fs.readFileSync(f, 'utf8').match(/<p id="?p\d/g) || []).length }))
    .sort((a, b) => b.n - a.n)[0]?.f;
  const marked = cables.find((f) => fs.readFileSync(f, 'utf8').includes('<x-m>'));
  const tags = files(site, 'tag');
  const pages = {
    home: path.join(site, 'index.html'),
    cable: need([longest], 'cable'),
    'cable citing a missing one': need([marked], 'cable with a missing reference'),
    tag: need(tags, 'tag'),
    month: need(files(site, 'month'), 'month'),
    year: need(files(site, 'year'), 'year'),
    origin: need(files(site, 'origin'), 'origin'),
    classification: need(files(site, 'classification'), 'classification'),
    signer: need(files(site, 'signer'), 'signer'),
    classifier: need(files(site, 'classifier'), 'classifier'),
    tags: path.join(site, 'tags.html'),
    months: path.join(site, 'months.html'),
    origins: path.join(site, 'origins.html'),
    classifications: path.join(site, 'classifications.html'),
    timeline: path.join(site, 'timeline.html'),
    people: path.join(site, 'people.html'),
    'people by name': path.join(site, 'people-az.html'),
    search: path.join(site, 'search.html'),
    404: path.join(site, '404.html'),
    'cited, not in the archive': path.join(site, 'refs/missing.html'),
    'most-cited': path.join(site, 'refs/most-cited.html'),
  };
  // A cable page with a conversation (two steps along references), when the archive has one.
  const talk = cables.find((f) => fs.readFileSync(f, 'utf8').includes('<section class=talk>'));
  if (talk) pages['cable with a conversation'] = talk;
  if (fs.existsSync(path.join(site, 'refs/missing.2.html'))) pages['cited, not in the archive, page 2'] = path.join(site, 'refs/missing.2.html');
  const second = [...tags, ...files(site, 'month'), ...files(site, 'origin'), ...files(site, 'to')].find((f) => /\.2\.html$/.test(f));
  if (second) pages['listing, page 2'] = second;
  // Addressee listings exist when the site turns on `addressee_pages` (the generated site does).
  if (fs.existsSync(path.join(site, 'to.html'))) {
    pages.addressees = path.join(site, 'to.html');
    pages.addressee = need(files(site, 'to'), 'addressee');
  }
  for (const f of files(site, 'pages')) pages[`page ${path.basename(f, '.html')}`] = f;
  for (const [name, f] of Object.entries(pages)) if (!fs.existsSync(f)) throw new Error(`${site}: no ${name} page (${f})`);
  return pages;
}

/** A word of the site that search finds: the first word of the longest cable's subject. */
function searchWord(file) {
  const title = fs.readFileSync(file, 'utf8').match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
  return (title.match(/[A-Za-z]{5,}/g) || ['missile'])[0].toLowerCase();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

if (process.argv.length <= 2) run('cargo', ['build', '--quiet', '--release', '--bin', 'archive', '--example', 'generate']);
const sites = process.argv.length > 2 ? process.argv.slice(2).map((s) => path.resolve(s)) : [buildDefault(), buildGenerated()];
const problems = [];
const rendered = fs.mkdtempSync(path.join(repo, 'target/checked-dom-'));
const written = [];
let checked = 0;
let found = { axe: 0, axeMinor: 0 };
for (const site of sites) {
  const pages = pagesOf(site);
  const word = searchWord(pages.cable);
  for (const scheme of ['light', 'dark']) {
    // axe is injected as a script file, which the pages' Content-Security-Policy would refuse:
    // this context bypasses it (screenshots.mjs checks the pages under their CSP).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme, bypassCSP: true });
    for (const [name, file] of Object.entries(pages)) {
      const page = await context.newPage();
      const query = name === 'search' ? `?q=${encodeURIComponent(word)}` : '';
      await page.goto(pathToFileURL(file).href + query, { waitUntil: 'load' });
      if (name === 'search') {
        const end = Date.now() + 20000;
        while ((await page.evaluate(() => document.getElementById('search')?.getAttribute('data-state'))) !== 'done') {
          if (Date.now() > end) throw new Error(`${site}: search for ${word} did not finish`);
          await page.waitForTimeout(20);
        }
        const results = await page.evaluate(() => document.querySelectorAll('.search-results a').length);
        if (!results) problems.push(`${site}: search for "${word}" shows no results to check`);
      }
      if (scheme === 'light') {
        // The DOM after the page's scripts ran, for the Nu checker too (before axe is injected).
        const dom = path.join(rendered, `${path.basename(path.dirname(site))}-${path.basename(site)}-${name.replace(/[^a-z0-9]+/gi, '-')}.html`);
        fs.writeFileSync(dom, '<!DOCTYPE html>\n' + (await page.evaluate(() => document.documentElement.outerHTML)));
        written.push(dom);
        checked += 1;
      }
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      for (const v of result.violations) {
        if (!SERIOUS.has(v.impact)) { found.axeMinor += 1; continue; }
        found.axe += 1;
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
        problems.push(`axe ${path.basename(site)} ${name} (${scheme}): ${v.impact} ${v.id}: ${v.help} — ${where}`);
      }
      await page.close();
    }
    await context.close();
  }
  written.push(...Object.values(pages));
}
await browser.close();

// The Nu HTML Checker on the files as written and on the DOMs: errors only.
const vnu = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...new Set(written)], { encoding: 'utf8', maxBuffer: 1 << 28 });
if (vnu.error) problems.push(`the Nu HTML Checker did not run (needs Java): ${vnu.error.message}`);
let vnuErrors = 0;
if (!vnu.error) {
  let messages = [];
  try {
    messages = JSON.parse(vnu.stderr || '{"messages":[]}').messages;
  } catch (e) {
    problems.push(`the Nu HTML Checker printed no JSON (status ${vnu.status}): ${vnu.stderr.slice(0, 500)}`);
  }
  for (const m of messages.filter((m) => m.type === 'error' || m.subType === 'fatal')) {
    vnuErrors += 1;
    problems.push(`vnu ${path.relative(repo, new URL(m.url).pathname)}:${m.lastLine ?? '?'}: ${m.message} ${m.extract ? JSON.stringify(m.extract.trim().slice(0, 120)) : ''}`);
  }
  if (!messages.length && vnu.status !== 0) problems.push(`the Nu HTML Checker failed (status ${vnu.status}): ${vnu.stderr.slice(0, 500)}`);
}
fs.rmSync(rendered, { recursive: true, force: true });

console.log(`checked ${checked} pages of ${sites.length} sites (${sites.map((s) => path.relative(repo, s)).join(', ')}): ` +
  `axe-core in light and dark mode, ${found.axe} violations of impact moderate or above (${found.axeMinor} minor); ` +
  `Nu HTML Checker on ${new Set(written).size} documents (files as written and DOMs after scripts), ${vnuErrors} errors`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
