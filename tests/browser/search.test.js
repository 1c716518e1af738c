// Browser test of the client-side search: opens built sites from file:// in headless Chromium
// (Debian's package, driven by playwright-core) and searches them as a reader would.
//
//   cd tests/browser && npm ci && node search.test.js
//
// Sites: SEARCH_SITE (default: the default site, `archive build` of content/) and SEARCH_SITE_LARGE (default:
// built here from the seeds and SEARCH_CONTENT_LARGE, a corpus of 20,000 cables made by
// `cargo run --example generate`); SEARCH_SKIP_BUILD=1 uses the folders as they are.
// With `--bench DIR...` it only measures each site and prints a Markdown table row per site.
//
// The large site is built by `cargo run --release --example search_bench -- --site DIR CONTENT...`
// (search page, index and stub cable pages, without the rest of the site).
'use strict';

const { chromium } = require('playwright-core');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const assert = require('assert');

const REPO = path.resolve(__dirname, '..', '..');
// Cargo's output folder: CARGO_TARGET_DIR when set (relative to the repository, where the
// test script runs cargo), the repository's target/ otherwise.
const RELEASE = path.resolve(REPO, process.env.CARGO_TARGET_DIR || 'target', 'release');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The default site: `archive build` of this repository's site.toml and content/, plus the search
 * index written by `search_bench --index` (a no-op once the site builder's search phase calls
 * `search::build` itself, which writes the same files).
 */
function buildDefaultSite(dir) {
  if (process.env.SEARCH_SKIP_BUILD && fs.existsSync(path.join(dir, 'search.html'))) return;
  const run = (args) => execFileSync('cargo', args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  run(['run', '--quiet', '--release', '--', 'build', '--quiet', '--output', dir]);
  if (!fs.existsSync(path.join(dir, 'search', 'meta.js'))) {
    run(['run', '--quiet', '--release', '--example', 'search_bench', '--', '--index', 'content', dir]);
  }
}

/**
 * Polls `fn` in the page until it returns a truthy value. (Playwright's waitForFunction evaluates
 * a string in the page, which the page's Content-Security-Policy rightly forbids.)
 */
async function waitFor(page, fn, arg, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + fn.toString().slice(0, 200));
    await new Promise((r) => setTimeout(r, 10));
  }
}

function fileUrl(dir, rel) {
  return 'file://' + path.resolve(dir, rel);
}

async function newPage(browser, problems) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console: ' + m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp = (window.__csp || []).concat(e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  return page;
}

/** Bytes of the index files the page loaded, from their sizes on disk. */
async function loadedBytes(page, dir) {
  const urls = await page.evaluate(() => window.ArchiveSearch.loaded.slice());
  return urls.reduce((sum, u) => sum + fs.statSync(path.join(dir, u)).size, 0);
}

/**
 * Enters a query (its last character as a keystroke) and waits for the results; returns what the
 * page shows and the time from the last keystroke to the results (`wall`, debounce included).
 */
async function typeQuery(page, q) {
  const before = await page.evaluate(() => window.ArchiveSearch.last || null);
  // All but the last character without an input event, so that only the whole query is searched
  // (a cold query stays cold).
  await page.evaluate((v) => {
    const input = document.getElementById('search-q');
    input.value = v;
    input.focus();
    input.setSelectionRange(v.length, v.length);
  }, q.slice(0, -1));
  const t0 = Date.now();
  await page.type('#search-q', q.slice(-1));
  await waitFor(page, 
    ([prev, want]) => {
      const last = window.ArchiveSearch.last;
      return last && (!prev || last.seq > prev.seq) && last.q === want;
    },
    [before, q.trim()],
  );
  const wall = Date.now() - t0;
  return { wall, ...(await shown(page)) };
}

async function shown(page) {
  return page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    ids: Array.from(document.querySelectorAll('.search-id')).map((e) => e.textContent),
    classes: Array.from(document.querySelectorAll('.search-class')).map((e) => e.textContent),
    dates: Array.from(document.querySelectorAll('.search-date')).map((e) => e.textContent),
    understood: document.getElementById('search-understood').textContent,
    marks: Array.from(document.querySelectorAll('.search-results mark')).map((e) => e.textContent),
    links: Array.from(document.querySelectorAll('.search-results a')).map((e) => e.getAttribute('href')),
    last: window.ArchiveSearch.last,
  }));
}

async function openSearch(browser, dir, query, problems) {
  const page = await newPage(browser, problems);
  await page.goto(fileUrl(dir, 'search.html') + (query || ''));
  await waitFor(page, () => {
    const s = document.getElementById('search').getAttribute('data-state');
    return s === 'ready' || s === 'done' || s === 'error';
  });
  return page;
}

async function checkSmall(browser, dir) {
  const problems = [];
  // A query in the address is run on load and kept.
  let page = await openSearch(browser, dir, '?q=Obering', problems);
  await waitFor(page, () => document.getElementById('search').getAttribute('data-state') === 'done');
  let r = await shown(page);
  assert.ok(r.ids.includes('07PARIS1115'), 'Obering finds 07PARIS1115: ' + JSON.stringify(r));
  assert.ok(r.marks.some((m) => /obering/i.test(m)), 'Obering is highlighted: ' + JSON.stringify(r.marks));
  assert.ok(r.links.every((l) => /^cable\/\d{4}\/\d{2}\/.+\.html$/.test(l)), 'results link to cable pages');
  assert.strictEqual(await page.getAttribute('input[type=search]', 'name'), 'q');

  // Typing: a word only in seed 002's body.
  r = await typeQuery(page, 'Kennebunkport');
  assert.ok(r.ids.length >= 1 && /^07USNATO362$/.test(r.ids[0]), 'Kennebunkport: ' + JSON.stringify(r));
  assert.ok(page.url().includes('q=Kennebunkport'), 'the query is kept in the address: ' + page.url());
  // Stemming: the plural finds the singular.
  r = await typeQuery(page, 'missiles');
  assert.ok(r.ids.includes('07PARIS1115'), 'missiles: ' + JSON.stringify(r));

  // The result link opens the cable page.
  await page.click('.search-results a >> nth=0');
  await page.waitForLoadState();
  assert.ok(/\/cable\/\d{4}\/\d{2}\/[^/]+\.html$/.test(page.url()), 'link opens a cable page: ' + page.url());
  await page.close();

  // An identifier, submitted, jumps to its cable.
  page = await openSearch(browser, dir, '', problems);
  await page.fill('#search-q', '07paris1115');
  await Promise.all([page.waitForURL(/07PARIS1115\.html$/), page.press('#search-q', 'Enter')]);
  await page.close();

  // A missing index gives a clear message, not a blank page.
  const broken = dir + '-broken';
  fs.rmSync(broken, { recursive: true, force: true });
  fs.cpSync(dir, broken, { recursive: true });
  fs.rmSync(path.join(broken, 'search', 'meta.js'));
  page = await openSearch(browser, broken, '?q=missile', []);
  r = await shown(page);
  assert.ok(/could not be loaded/.test(r.status), 'missing index message: ' + r.status);
  await page.close();
  // A missing shard too.
  fs.cpSync(path.join(dir, 'search', 'meta.js'), path.join(broken, 'search', 'meta.js'));
  fs.rmSync(path.join(broken, 'search', 't'), { recursive: true });
  page = await openSearch(browser, broken, '?q=missile', []);
  await waitFor(page, () => document.getElementById('search').getAttribute('data-state') === 'error');
  r = await shown(page);
  assert.ok(/Search failed: could not load/.test(r.status), 'missing shard message: ' + r.status);
  await page.close();
  fs.rmSync(broken, { recursive: true, force: true });

  assert.deepStrictEqual(problems, [], 'no errors in the page');
  console.log('ok - small site: body words found, stemming, highlighting, links, id jump, errors shown');
}

/** A cable of the content folder and three rare-ish words of its body (longest first). */
function pickCable(content, nth) {
  const lines = execFileSync(path.join(RELEASE, 'archive'), ['export', '--content', content], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n');
  const cable = JSON.parse(lines[nth]);
  const text = fs.readFileSync(path.resolve(REPO, cable.source), 'utf8');
  const body = text.slice(text.search(/SUBJECT:|Tags:/));
  const words = Array.from(new Set(body.match(/\b[a-z]{9,}\b/g) || []));
  words.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  return { id: cable.id, words: words.slice(0, 3) };
}

async function checkLarge(browser, dir, words, content) {
  const problems = [];
  const page = await openSearch(browser, dir, '', problems);
  // The seeds are among the generated cables: found by body words.
  let r = await typeQuery(page, 'Obering missile');
  assert.ok(r.ids.includes('07PARIS1115'), 'large: Obering missile: ' + JSON.stringify(r));
  r = await typeQuery(page, 'Kennebunkport');
  assert.ok(r.ids[0] === '07USNATO362', 'large: Kennebunkport: ' + JSON.stringify(r));
  // So are generated cables, by words of their bodies.
  if (content) {
    for (const nth of [1234, 15000]) {
      const pick = pickCable(content, nth);
      r = await typeQuery(page, pick.words.join(' '));
      assert.ok(r.ids.includes(pick.id), `large: ${pick.words.join(' ')} finds ${pick.id}: ` + JSON.stringify(r));
    }
  }

  // A filter narrows the results.
  const all = await typeQuery(page, words[0]);
  const total = all.last.total;
  assert.ok(total > 100, 'a common word has many results: ' + total);
  // Paging: the next page has other results, and its number is in the address.
  await page.click('.search-pages button');
  await waitFor(page, () => new URLSearchParams(location.search).get('page') === '2');
  await waitFor(page, (first) => window.ArchiveSearch.last.ids[0] !== first, all.ids[0]);
  const second = await shown(page);
  assert.ok(second.ids.every((id) => !all.ids.includes(id)), 'page 2 differs from page 1');
  await page.selectOption('#search-class', 'secret');
  await waitFor(page, (t) => window.ArchiveSearch.last.total !== t, total);
  r = await shown(page);
  assert.ok(r.last.total > 0 && r.last.total < total, `class filter narrows ${total} → ${r.last.total}`);
  assert.ok(r.classes.every((c) => c === 'SECRET'), 'every result is SECRET: ' + r.classes);
  assert.ok(page.url().includes('class=secret'), 'the filter is kept in the address');
  // And typed filters work the same way.
  await page.selectOption('#search-class', '');
  const year = await page.evaluate(() => document.querySelector('#search-year option:nth-child(3)').value);
  const typed = await typeQuery(page, words[0] + ' year:' + year);
  assert.ok(typed.last.total > 0 && typed.last.total < total, 'year filter narrows');
  assert.deepStrictEqual(problems, [], 'no errors in the page');
  await page.close();
  console.log(`ok - large site: seeds and generated cables found by body words, class filter ${total} → ${r.last.total}, year filter, paging`);
}

/** The cables of content folders as `archive export` lists them (JSON Lines), by identifier. */
function exported(contents) {
  const byId = new Map();
  for (const content of contents) {
    const text = execFileSync(path.join(RELEASE, 'archive'), ['export', '--content', content], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    for (const line of text.split('\n')) if (line.trim()) {
      const c = JSON.parse(line);
      byId.set(c.id, c);
    }
  }
  return Array.from(byId.values());
}

function slugOf(text) {
  return text.toLowerCase().replace(/[^0-9a-z\u0080-\uffff]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The query language, checked against `archive export` of the content the site was built from
 * (an independent reading of the cables, not the index) and against set identities between
 * queries: fields and date ranges give exactly the exported cables, AND narrows and OR widens by
 * inclusion–exclusion, `-word` removes the AND, malformed queries show a message.
 */
async function checkLanguage(browser, dir, contents, words) {
  const problems = [];
  const cables = exported(contents);
  const page = await openSearch(browser, dir, '', problems);
  const total = async (q) => {
    const r = await typeQuery(page, q);
    assert.ok(!r.last.error, q + ': ' + r.status);
    return r;
  };
  // A tag: field, exactly the cables with that tag.
  const tag = 'prel';
  const want = cables.filter((c) => (c.tags || []).some((t) => slugOf(t) === tag)).length;
  let r = await total('tag:' + tag.toUpperCase());
  assert.strictEqual(r.last.total, want, `tag:${tag}: ${r.status}`);
  // Facets over the whole result set: counts by year and classification equal the export's.
  const tagged = cables.filter((c) => (c.tags || []).some((t) => slugOf(t) === tag));
  const countBy = (f) => {
    const m = {};
    for (const c of tagged) m[f(c)] = (m[f(c)] || 0) + 1;
    return m;
  };
  // (Keyed by the shown label: the export gives classifications as labels.)
  const facet = (k) => Object.fromEntries(r.last.facets[k].map((v) => [v[1], v[2]]));
  assert.deepStrictEqual(facet('year'), countBy((c) => c.created.slice(0, 4)), 'year facet');
  const classes = countBy((c) => c.classification);
  const top = Object.entries(classes).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 10);
  assert.deepStrictEqual(facet('class'), Object.fromEntries(top), 'class facet');
  // Clicking a facet narrows the query: the field appears in the box.
  const year = r.last.facets.year[0];
  const before = r.last.seq;
  await page.click(`button[data-facet="year:${year[0]}"]`);
  await waitFor(page, (s) => window.ArchiveSearch.last.seq > s, before);
  r = await shown(page);
  assert.strictEqual(r.last.q, 'tag:' + tag.toUpperCase() + ' year:' + year[0], 'facet added to the box');
  assert.strictEqual(r.last.total, year[2], 'facet narrows to its count');
  // Date ranges: both ends included; year-only cables only when the range covers their year.
  const day = (c) => c.created.slice(0, 10);
  const exact = (c) => c.created_precision !== 'year';
  r = await total('after:2007-03 before:2007-06');
  let expect = cables.filter((c) => exact(c) && day(c) >= '2007-03-01' && day(c) <= '2007-06-30').length;
  assert.strictEqual(r.last.total, expect, 'after:2007-03 before:2007-06: ' + r.status);
  r = await total('after:2007-03-22 before:2007-03-22');
  expect = cables.filter((c) => exact(c) && day(c) === '2007-03-22').length;
  assert.strictEqual(r.last.total, expect, 'one day: ' + r.status);
  r = await total('after:2007 before:2007');
  expect = cables.filter((c) => c.created.slice(0, 4) === '2007').length;
  assert.strictEqual(r.last.total, expect, 'a whole year includes year-only cables: ' + r.status);
  // AND narrows, OR widens, -word excludes: inclusion–exclusion between the counts.
  const [a, b] = words;
  const ta = (await total(a)).last.total;
  const tb = (await total(b)).last.total;
  const tab = (await total(a + ' ' + b)).last.total;
  const tor = (await total(a + ' OR ' + b)).last.total;
  const tnot = (await total(a + ' -' + b)).last.total;
  assert.ok(tab <= Math.min(ta, tb) && tor >= Math.max(ta, tb), `AND ${tab} ≤ ${ta}, ${tb} ≤ OR ${tor}`);
  assert.strictEqual(tor, ta + tb - tab, 'OR = A + B − AND');
  assert.strictEqual(tnot, ta - tab, 'A −B = A − AND');
  // A field combines with words: tag and word ≤ each.
  const ttag = (await total(a + ' tag:' + tag)).last.total;
  assert.ok(ttag <= Math.min(ta, want), 'word and tag narrows');
  // A prefix finds at least what its whole word finds; from: is origin:.
  assert.ok((await total(a.slice(0, 5) + '*')).last.total >= ta, 'prefix widens');
  const origin = cables[0].origin;
  const tOrigin = cables.filter((c) => slugOf(c.origin) === slugOf(origin)).length;
  assert.strictEqual((await total('origin:"' + origin + '"')).last.total, tOrigin, 'origin: "' + origin + '"');
  assert.strictEqual((await total('from:"' + origin + '"')).last.total, tOrigin, 'from: is origin:');
  // An identifier with leading zeros in its serial.
  r = await total('id:07PARIS01115');
  assert.deepStrictEqual(r.ids, ['07PARIS1115'], 'id: folds leading zeros: ' + r.status);
  // Folding: case and accents.
  assert.strictEqual((await total(a.toUpperCase())).last.total, ta, 'case folded');
  assert.strictEqual((await total(a.replace('e', 'é'))).last.total, ta, 'accents folded');
  // No silent fallback: nothing has every word → 0, with the closest matches labelled.
  r = await total(a + ' zzqxwvkj');
  assert.strictEqual(r.last.total, 0, 'no cable has a nonsense word');
  assert.ok(/No cable matches every part/.test(r.status) && r.ids.length > 0, 'closest matches offered: ' + r.status);
  // Sort orders.
  r = await total(a);
  await page.selectOption('#search-sort', 'oldest');
  await waitFor(page, () => window.ArchiveSearch.last.sort === 'oldest');
  r = await shown(page);
  assert.ok(r.dates.every((d, i) => i === 0 || r.dates[i - 1] <= d), 'oldest first: ' + r.dates);
  assert.ok(page.url().includes('sort=oldest'), 'sort in the address');
  await page.selectOption('#search-sort', 'newest');
  await waitFor(page, () => window.ArchiveSearch.last.sort === 'newest');
  r = await shown(page);
  assert.ok(r.dates.every((d, i) => i === 0 || r.dates[i - 1] >= d), 'newest first: ' + r.dates);
  await page.selectOption('#search-sort', 'relevance');
  // Malformed queries say what is wrong and throw nothing.
  for (const [q, msg] of [
    ['"missile defense', /quotation mark/],
    ['tag:', /needs a value/],
    ['nuclear OR', /OR/],
    ['after:2007-13', /not a date/],
    ['after:2008 before:2007', /range is empty/],
    ['-nuclear', /exclusions alone/],
    ['colour:red', /Unknown field/],
  ]) {
    r = await typeQuery(page, q);
    assert.ok(msg.test(r.status) && r.last.error, `${q}: ${r.status}`);
  }
  assert.deepStrictEqual(problems, [], 'no errors in the page');
  await page.close();
  console.log(`ok - query language on ${path.basename(dir)}: tag:${tag} ${want}, date ranges, ${a} ${ta} / ${b} ${tb} / AND ${tab} / OR ${tor} / NOT ${tnot}, facets, prefix, origin:/from:, id:, folding, no fallback, sorts, 7 malformed queries`);
}

/** The word terms of a text with their word numbers, as the build numbers them (elasticlunr's
 * tokenizer and pipeline, the stop words counted): [[term, number], …]. */
function numberedTerms(lunr, text) {
  const words = lunr.tokenizer(text).filter((w) => w.length > 0);
  const pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  const out = [];
  words.forEach((w, i) => {
    const t = pipeline.run([w.normalize('NFD').replace(/[\u0300-\u036f]/g, '')]);
    if (t.length) out.push([t[0], i]);
  });
  return out;
}

/**
 * Phrases, subject ranking and the subject:/signer:/to: fields on the generated corpus, checked
 * against the cable files read here (not the index): a phrase of two common words is found in at
 * least the cables that have the words side by side on one line of their text, at most in those
 * that have them side by side anywhere (across line breaks too), and never in a cable that has
 * both words only apart; a cable's whole subject typed brings it (or a cable with the very same
 * subject) first; subject: and signer: give exactly the cables whose subject or signer has the word.
 */
async function checkPhrases(browser, dir, contents) {
  const lunr = require(path.join(REPO, 'assets', 'vendor', 'elasticlunr.min.js'));
  const cables = exported(contents);
  // Per cable: the terms of each line, and of the whole text (line breaks are white space).
  const texts = cables.map((c) => fs.readFileSync(path.resolve(REPO, c.source), 'utf8'));
  const pairKey = (a, b) => a + ' ' + b;
  // The commonest adjacent pair of two different terms of 5+ letters on one line, over a sample.
  const counts = new Map();
  for (const text of texts.slice(0, 3000)) {
    const seen = new Set();
    for (const line of text.split('\n')) {
      const t = numberedTerms(lunr, line);
      for (let i = 1; i < t.length; i++) {
        if (t[i][1] !== t[i - 1][1] + 1 || t[i][0] === t[i - 1][0] || t[i][0].length < 5 || t[i - 1][0].length < 5) continue;
        seen.add(pairKey(t[i - 1][0], t[i][0]));
      }
    }
    for (const k of seen) counts.set(k, (counts.get(k) || 0) + 1);
  }
  // Of the 300 commonest pairs, the first whose words are together in at least twice as many
  // cables of the sample as they are side by side (so that the phrase has something to reject).
  const sample = texts.slice(0, 3000).map((text) => new Set(numberedTerms(lunr, text).map((t) => t[0])));
  const top = Array.from(counts.entries()).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 300);
  const [pair] = top.find(([k, n]) => {
    const [x, y] = k.split(' ');
    return sample.filter((t) => t.has(x) && t.has(y)).length >= 2 * n;
  });
  const [a, b] = pair.split(' ');
  const onLine = [];
  const anywhere = [];
  const apart = [];
  texts.forEach((text, k) => {
    const adjacent = (terms) => terms.some((t, i) => i > 0 && t[0] === b && terms[i - 1][0] === a && t[1] === terms[i - 1][1] + 1);
    const all = numberedTerms(lunr, text);
    const hasBoth = all.some((t) => t[0] === a) && all.some((t) => t[0] === b);
    if (!hasBoth) return;
    if (adjacent(all)) anywhere.push(cables[k].id);
    else apart.push(cables[k].id);
    if (text.split('\n').some((line) => adjacent(numberedTerms(lunr, line)))) onLine.push(cables[k].id);
  });
  const problems = [];
  const page = await openSearch(browser, dir, '', problems);
  const run = async (q) => {
    const r = await typeQuery(page, q);
    assert.ok(!r.last.error, q + ': ' + r.status);
    return r;
  };
  // The words as written in the text: the stems are what the page analyses anyway.
  const both = (await run(a + ' ' + b)).last.total;
  let r = await run('"' + a + ' ' + b + '"');
  const phrase = r.last.total;
  assert.ok(onLine.length <= phrase && phrase <= anywhere.length, `"${a} ${b}": ${phrase} cables, between ${onLine.length} (on one line) and ${anywhere.length} (side by side anywhere)`);
  assert.ok(phrase < both, `the phrase (${phrase}) finds fewer than its words (${both})`);
  assert.strictEqual(both, anywhere.length + apart.length, 'AND of the words = cables with both');
  assert.ok(!/all their words/.test(r.understood), 'a phrase is a phrase: ' + r.understood);
  // One cable with the words apart is not found; one with them side by side on a line is.
  assert.ok(apart.length > 0 && onLine.length > 0, 'the corpus has both kinds');
  r = await run('"' + a + ' ' + b + '" id:' + apart[0]);
  assert.strictEqual(r.last.total, 0, `${apart[0]} has ${a} and ${b} only apart: not found`);
  r = await run(a + ' ' + b + ' id:' + apart[0]);
  assert.strictEqual(r.last.total, 1, `${apart[0]} is found by the two words`);
  r = await run('"' + a + ' ' + b + '" id:' + onLine[0]);
  assert.strictEqual(r.last.total, 1, `${onLine[0]} has "${a} ${b}": found`);
  // The reversed phrase is another phrase.
  const reversed = texts.filter((text) => {
    const t = numberedTerms(lunr, text);
    return t.some((x, i) => i > 0 && x[0] === a && t[i - 1][0] === b && x[1] === t[i - 1][1] + 1);
  }).length;
  r = await run('"' + b + ' ' + a + '"');
  assert.ok(r.last.total <= reversed, `"${b} ${a}": ${r.last.total} ≤ ${reversed}`);

  // A cable's whole subject, typed as words, brings it first (or a cable with the same subject).
  const termsOf = (text) => numberedTerms(lunr, text).map((t) => t[0]).join(' ');
  let checked = 0;
  for (const c of cables.slice(1000, 1400)) {
    const words = termsOf(c.subject).split(' ').filter(Boolean);
    // Pasted as it is (a subject with a colon, a quotation mark or a word starting with `-` would
    // be read as query syntax).
    if (words.length < 3 || words.length > 8 || /[^A-Za-z ,.'-]/.test(c.subject) || /(^|\s)-/.test(c.subject)) continue;
    r = await run(c.subject.replace(/\s+/g, ' ').trim());
    const same = new Set(cables.filter((x) => termsOf(x.subject) === termsOf(c.subject)).map((x) => x.id));
    assert.ok(same.has(r.ids[0]), `subject “${c.subject}” brings ${c.id} first (or a cable of the same subject: ${Array.from(same)}), got ${r.ids.slice(0, 3)}`);
    if (++checked === 3) break;
  }
  assert.strictEqual(checked, 3, 'three subjects tried');
  // A subject with a colon (`EGYPT: NUCLEAR PROGRAM`), pasted as it is: the colon ends a word,
  // it does not make a field, and the cable still comes first.
  let colons = 0;
  for (const c of cables.slice(1000, 3000)) {
    if (!/^[A-Za-z]+: [A-Za-z ,.']+$/.test(c.subject)) continue;
    const words = termsOf(c.subject).split(' ').filter(Boolean);
    if (words.length < 3 || words.length > 8) continue;
    r = await run(c.subject.replace(/\s+/g, ' ').trim());
    const same = new Set(cables.filter((x) => termsOf(x.subject) === termsOf(c.subject)).map((x) => x.id));
    assert.ok(same.has(r.ids[0]), `subject “${c.subject}” brings ${c.id} first, got ${r.ids.slice(0, 3)}`);
    if (++colons === 3) break;
  }
  assert.strictEqual(colons, 3, 'three subjects with a colon tried');

  // subject: and signer: give exactly the cables whose subject or signer has the word.
  const has = (text, w) => numberedTerms(lunr, text || '').some((t) => t[0] === w);
  const sw = termsOf(cables[2000].subject).split(' ')[0];
  r = await run('subject:' + sw);
  assert.strictEqual(r.last.total, cables.filter((c) => has(c.subject, sw)).length, 'subject:' + sw);
  const signed = cables.find((c, i) => i > 100 && c.signer);
  const signer = termsOf(signed.signer).split(' ').pop();
  r = await run('signer:' + signer);
  assert.strictEqual(r.last.total, cables.filter((c) => has(c.signer, signer)).length, 'signer:' + signer);
  // to: is any addressee, TO or INFO (the export lists both by name).
  const toWord = termsOf('SECSTATE');
  r = await run('to:secstate');
  const addressed = cables.filter((c) => [...(c.to || []), ...(c.info || [])].some((n) => has(n, toWord))).length;
  assert.ok(addressed > 0 && addressed < cables.length, 'the corpus has cables to SECSTATE and others');
  assert.strictEqual(r.last.total, addressed, 'to:secstate');
  assert.deepStrictEqual(problems, [], 'no errors in the page');
  await page.close();
  console.log(`ok - phrases on ${path.basename(dir)}: "${a} ${b}" ${phrase} (on a line ${onLine.length}, side by side ${anywhere.length}, both words ${both}); subjects first ×3; subject:${sw}, signer:${signer}, to:`);
}

/**
 * Facets beyond classification and year, the histogram and the date inputs, against `archive
 * export` of the content: months of a one-year result set, origin and tag counts (on request)
 * over the whole result set, a click on a bar or a value narrows to its count, the two date
 * inputs give what after:/before: give.
 */
/**
 * The same questions on real cables (tests/real: cablegate pages, text dumps and cables.csv rows
 * of the release), checked against `archive export` of them: each subject pasted as it is
 * (colons included; every real subject of three words or more) brings its cable first; `subject:"two words"` finds exactly the cables whose
 * subject has the words side by side, and the words reversed exactly those that have them so.
 */
async function checkReal(browser) {
  const lunr = require(path.join(REPO, 'assets', 'vendor', 'elasticlunr.min.js'));
  const content = path.join(REPO, 'bench-out', 'real-content');
  const site = path.join(REPO, 'bench-out', 'site-real');
  fs.rmSync(content, { recursive: true, force: true });
  const real = path.join(REPO, 'tests', 'real');
  for (const part of fs.readdirSync(real)) {
    const cablesDir = path.join(real, part, 'cables');
    if (fs.existsSync(cablesDir)) fs.cpSync(cablesDir, path.join(content, 'cables', part), { recursive: true });
    else if (fs.statSync(path.join(real, part)).isDirectory()) {
      for (const f of fs.readdirSync(path.join(real, part)).filter((f) => f.endsWith('.csv'))) {
        fs.mkdirSync(path.join(content, 'cables', part), { recursive: true });
        fs.copyFileSync(path.join(real, part, f), path.join(content, 'cables', part, f));
      }
    }
  }
  execFileSync(path.join(RELEASE, 'archive'), ['--quiet', 'build', '--content', content, '--output', site], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cables = exported([content]);
  assert.ok(cables.length >= 100, `the real cables: ${cables.length}`);
  const problems = [];
  const page = await openSearch(browser, site, '', problems);
  const run = async (q) => {
    const r = await typeQuery(page, q);
    assert.ok(!r.last.error, q + ': ' + r.status);
    return r;
  };
  const termsOf = (text) => numberedTerms(lunr, text || '').map((t) => t[0]).join(' ');
  let pasted = 0;
  let colons = 0;
  for (const c of cables) {
    const subject = c.subject.replace(/\s+/g, ' ').trim();
    // Query syntax a reader would not paste by accident stays out: quotes, a leading `-`, `*`.
    if (termsOf(subject).split(' ').length < 3 || /["*]|(^|\s)-|\bOR\b/.test(subject)) continue;
    if (/^[A-Za-z]+:\s/.test(subject) && /^[a-z]+$/i.test(subject.split(':')[0])) {
      const field = subject.split(':')[0].toLowerCase();
      if (['subject', 'tag', 'origin', 'from', 'class', 'year', 'id', 'after', 'before', 'signer', 'to'].includes(field)) continue;
      colons++;
    } else if (/:/.test(subject)) continue;
    const r = await run(subject);
    const same = new Set(cables.filter((x) => termsOf(x.subject) === termsOf(subject)).map((x) => x.id));
    assert.ok(same.has(r.ids[0]), `real subject “${subject}” brings ${c.id} first, got ${r.ids.slice(0, 3)}`);
    pasted++;
  }
  assert.ok(pasted >= 40 && colons >= 3, `real subjects pasted: ${pasted}, ${colons} with a colon`);
  // A phrase of the subject field: two words side by side in one real subject.
  const adjacentIn = (text, a, b) => {
    const t = numberedTerms(lunr, text || '');
    return t.some((x, i) => i > 0 && x[0] === b && t[i - 1][0] === a && x[1] === t[i - 1][1] + 1);
  };
  let phrases = 0;
  for (const c of cables.slice(10)) {
    const words = lunr.tokenizer(c.subject).filter((w) => w.length > 0);
    const i = words.findIndex((w, k) => k > 0 && /^[a-z]{4,}$/i.test(w) && /^[a-z]{4,}$/i.test(words[k - 1]) &&
      numberedTerms(lunr, words[k - 1] + ' ' + w).length === 2);
    if (i < 1) continue;
    const [w1, w2] = [words[i - 1], words[i]];
    const [a, b] = numberedTerms(lunr, w1 + ' ' + w2).map((t) => t[0]);
    if (a === b) continue;
    let r = await run(`subject:"${w1} ${w2}"`);
    assert.strictEqual(r.last.total, cables.filter((x) => adjacentIn(x.subject, a, b)).length, `subject:"${w1} ${w2}"`);
    assert.ok(r.last.total >= 1);
    r = await run(`subject:"${w2} ${w1}"`);
    assert.strictEqual(r.last.total, cables.filter((x) => adjacentIn(x.subject, b, a)).length, `subject:"${w2} ${w1}"`);
    if (++phrases === 4) break;
  }
  assert.strictEqual(phrases, 4, 'four subject phrases tried');
  assert.deepStrictEqual(problems, [], 'no errors in the page');
  await page.close();
  console.log(`ok - real cables (${cables.length}, tests/real): ${pasted} pasted subjects first (${colons} with a colon), ${phrases} subject phrases exact, reversed exact`);
}

async function checkFacets(browser, dir, contents) {
  const cables = exported(contents);
  const problems = [];
  const page = await openSearch(browser, dir, '', problems);
  const tagged = cables.filter((c) => (c.tags || []).some((t) => slugOf(t) === 'prel'));
  const countBy = (list, f) => {
    const m = {};
    for (const c of list) {
      const k = f(c);
      if (k !== null) m[k] = (m[k] || 0) + 1;
    }
    return m;
  };
  const buttons = (sel) => page.evaluate((s) => Object.fromEntries(Array.from(document.querySelectorAll(s)).map((b) => [b.getAttribute('data-facet'), +b.getAttribute('data-count')])), sel);
  // One year: the months, as bars and buttons.
  let r = await typeQuery(page, 'tag:prel year:2007');
  await waitFor(page, () => document.querySelectorAll('.search-months rect').length === 12);
  const in2007 = tagged.filter((c) => c.created.slice(0, 4) === '2007');
  const wantMonths = countBy(in2007, (c) => (c.created_precision === 'year' || c.created.slice(5, 7) === '00' ? null : 'month:' + c.created.slice(0, 7)));
  assert.deepStrictEqual(await buttons('.search-months .search-facet-value'), wantMonths, 'month facet');
  const label = await page.getAttribute('.search-months svg', 'aria-label');
  assert.ok(/^Results by month: Jan 2007 \d+/.test(label), 'the month chart has a text alternative: ' + label);
  const [month, n] = Object.entries(wantMonths).sort((x, y) => y[1] - x[1])[0];
  let before = r.last.seq;
  await page.click(`.search-months rect[data-bar="${month.slice(6)}"]`);
  await waitFor(page, (s) => window.ArchiveSearch.last.seq > s, before);
  r = await shown(page);
  assert.strictEqual(r.last.total, n, `a click on the bar of ${month} narrows to its ${n} cables: ${r.last.q}`);
  // Origin and tag counts over the whole result set, on request.
  r = await typeQuery(page, 'tag:prel');
  const years = await page.evaluate(() => document.querySelectorAll('.search-histogram rect').length);
  assert.ok(years >= 2, 'a histogram of years');
  await page.click('#search-origin-tag');
  await waitFor(page, () => document.getElementById('search-facets').getAttribute('data-more') === 'done');
  const origins = await buttons('.search-facet-value[data-facet^="origin:"]');
  assert.deepStrictEqual(origins, Object.fromEntries(Object.entries(countBy(tagged, (c) => 'origin:' + slugOf(c.origin)))), 'origin facet (all of them, behind "more")');
  const visible = await page.evaluate(() => Array.from(document.querySelectorAll('.search-facet-value[data-facet^="origin:"]')).filter((b) => !b.hidden).length);
  assert.strictEqual(visible, Math.min(10, Object.keys(origins).length), 'top ten origins shown');
  const tags = await buttons('.search-facet-value[data-facet^="tag:"]');
  const wantTags = countBy(tagged.flatMap((c) => Array.from(new Set((c.tags || []).map(slugOf)))).map((t) => ({ t })), (x) => 'tag:' + x.t);
  for (const [k, v] of Object.entries(tags)) assert.strictEqual(v, wantTags[k], 'tag facet ' + k);
  assert.strictEqual(tags['tag:prel'], tagged.length, 'every result has its own tag');
  // A click on an origin narrows to its count.
  const [origin, on] = Object.entries(origins).sort((x, y) => y[1] - x[1])[0];
  before = (await page.evaluate(() => window.ArchiveSearch.last.seq));
  await page.click(`.search-facet-value[data-facet="${origin}"]`);
  await waitFor(page, (s) => window.ArchiveSearch.last.seq > s, before);
  r = await shown(page);
  assert.strictEqual(r.last.total, on, `${origin} narrows to ${on}`);
  // The date inputs are after: and before:.
  r = await typeQuery(page, 'tag:prel');
  before = r.last.seq;
  await page.fill('#search-after', '2007-03-01');
  await page.fill('#search-before', '2007-06-30');
  await waitFor(page, (s) => window.ArchiveSearch.last.seq > s && new URLSearchParams(location.search).get('before') === '2007-06-30', before);
  await waitFor(page, () => document.getElementById('search').getAttribute('data-state') === 'done');
  r = await shown(page);
  const day = (c) => c.created.slice(0, 10);
  const want = tagged.filter((c) => c.created_precision !== 'year' && day(c) >= '2007-03-01' && day(c) <= '2007-06-30').length;
  assert.strictEqual(r.last.total, want, 'date inputs: ' + r.status);
  assert.ok(page.url().includes('after=2007-03-01'), 'the dates are in the address');
  assert.deepStrictEqual(problems, [], 'no errors in the page');
  await page.close();
  console.log(`ok - facets on ${path.basename(dir)}: months of 2007, bar click ${month} ${n}, ${Object.keys(origins).length} origins, ${Object.keys(tags).length} tags, ${origin} ${on}, date inputs ${want}`);
}

/** Index size, files, bytes of a first and of a two-word query, query times. */
async function bench(browser, dir, words) {
  const files = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(fs.statSync(p).size);
    }
  })(path.join(dir, 'search'));
  const size = files.reduce((a, b) => a + b, 0);
  const problems = [];
  let page = await openSearch(browser, dir, '', problems);
  const first = await typeQuery(page, words[0]);
  const firstBytes = await loadedBytes(page, dir);
  await page.close();
  page = await openSearch(browser, dir, '', problems);
  const two = await typeQuery(page, words[1] + ' ' + words[2]);
  const twoBytes = await loadedBytes(page, dir);
  // Once loaded: the same query again, timed in the page (search + render), and from keystroke.
  const again = await typeQuery(page, words[1] + ' ' + words[2] + ' ');
  const docs = await page.evaluate(() => document.querySelectorAll('.search-result').length);
  await page.close();
  // A phrase of the two words, on a fresh page (its words' positions loaded too).
  page = await openSearch(browser, dir, '', problems);
  const phrase = await typeQuery(page, '"' + words[1] + ' ' + words[2] + '"');
  const phraseBytes = await loadedBytes(page, dir);
  await page.close();
  // A faceted query on a fresh page: a word in one year (the months counted too), then the
  // origin and tag counts asked for.
  page = await openSearch(browser, dir, '', problems);
  const faceted = await typeQuery(page, words[0] + ' year:2007');
  await waitFor(page, () => document.querySelectorAll('.search-months rect').length === 12);
  const facetedBytes = await loadedBytes(page, dir);
  const t0 = Date.now();
  await page.click('#search-origin-tag');
  await waitFor(page, () => document.getElementById('search-facets').getAttribute('data-more') === 'done', null, 120000);
  const originTagMs = Date.now() - t0;
  const originTagBytes = (await loadedBytes(page, dir)) - facetedBytes;
  await page.close();
  assert.deepStrictEqual(problems, []);
  return { size, files: files.length, firstBytes, twoBytes, first, two, again, docs, phrase, phraseBytes, faceted, facetedBytes, originTagMs, originTagBytes };
}

function timings(l) {
  return `load ${l.loadMs.toFixed(0)} + score ${l.scoreMs.toFixed(0)} + docs ${l.docsMs.toFixed(0)} + render ${l.renderMs.toFixed(0)} ms`;
}

function mb(n) {
  return (n / 1e6).toFixed(2) + ' MB';
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  try {
    const argv = process.argv.slice(2);
    if (argv[0] === '--bench') {
      // --bench word1 word2 word3 DIR...
      const words = argv.slice(1, 4);
      console.log('| site | index on disk | files | first query (“' + words[0] + '”) | two-word query (“' + words[1] + ' ' + words[2] + '”) | two-word query, cold: last keystroke → results shown, in the page (of which load + score + docs + render; the rest is the 80 ms debounce) | same query again, warm | phrase “"' + words[1] + ' ' + words[2] + '"”, cold | faceted “' + words[0] + ' year:2007” (months included), cold | origin and tag counts on request |');
      console.log('|---|---|---|---|---|---|---|---|---|---|');
      for (const dir of argv.slice(4)) {
        const b = await bench(browser, dir, words);
        console.log(
          `| ${path.basename(dir)} | ${mb(b.size)} | ${b.files} | ${mb(b.firstBytes)} | ${mb(b.twoBytes)} | ${b.two.last.sinceKey.toFixed(0)} ms (${timings(b.two.last)}) | ${b.again.last.sinceKey.toFixed(0)} ms (${timings(b.again.last)}) | ${mb(b.phraseBytes)}, ${b.phrase.last.sinceKey.toFixed(0)} ms (${b.phrase.last.total} cables) | ${mb(b.facetedBytes)}, ${b.faceted.last.sinceKey.toFixed(0)} ms | +${mb(b.originTagBytes)}, ${b.originTagMs} ms |`,
        );
      }
      return;
    }
    const small = process.env.SEARCH_SITE || path.join(REPO, 'bench-out', 'site-default');
    buildDefaultSite(small);
    await checkSmall(browser, small);
    await checkLanguage(browser, small, [path.join(REPO, 'content')], ['missile', 'defense']);
    await checkReal(browser);
    // A generated corpus of 20,000 cables (the generator of crates/dev) with the seeds.
    const large = process.env.SEARCH_SITE_LARGE || path.join(REPO, 'bench-out', 'site-gen-20k');
    const content = process.env.SEARCH_CONTENT_LARGE || path.join(REPO, 'bench-out', 'gen-20k');
    if (!fs.existsSync(content)) {
      execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'generate', '--', '--count', '20000', '--out', content], {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    execFileSync('cargo', ['build', '--quiet', '--release'], { cwd: REPO, stdio: 'inherit' });
    if (!(process.env.SEARCH_SKIP_BUILD && fs.existsSync(path.join(large, 'search.html')))) {
      execFileSync(
        'cargo',
        ['run', '--quiet', '--release', '--example', 'search_bench', '--', '--site', large, path.join(REPO, 'content'), content],
        { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] },
      );
    }
    const words = (process.env.SEARCH_WORDS || 'minister nuclear talks').split(' ');
    await checkLarge(browser, large, words, content);
    await checkLanguage(browser, large, [path.join(REPO, 'content'), content], words);
    await checkPhrases(browser, large, [path.join(REPO, 'content'), content]);
    await checkFacets(browser, large, [path.join(REPO, 'content'), content]);
    const b = await bench(browser, large, words);
    console.log(
      `ok - 20k: index ${mb(b.size)} in ${b.files} files; first query ${mb(b.firstBytes)}, two-word ${mb(b.twoBytes)}; ` +
        `keystroke to results ${b.two.last.sinceKey.toFixed(0)} ms cold, ${b.again.last.sinceKey.toFixed(0)} ms warm; ` +
        `cold: ${timings(b.two.last)}; warm: ${timings(b.again.last)}`,
    );
    assert.ok(b.firstBytes <= 1e6, 'first query within 1 MB');
    assert.ok(b.twoBytes <= 3e6, 'two-word query within 3 MB');
    assert.ok(b.again.last.sinceKey <= 200, 'results within 200 ms of the last keystroke once loaded');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error('not ok -', e && e.stack ? e.stack : e);
  process.exit(1);
});
