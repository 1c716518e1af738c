// Opens a built site from file:// in headless Chromium and saves screenshots of the home page,
// a listing, a cable page and every index page, at desktop and phone widths, in light and dark
// mode, and in print.
// Fails (exit 1) when a page logs a console error (CSP violations show up there), throws, or
// fails to load a resource, or when the stylesheet is not applied.
//
//   cd tests/browser && npm install && node screenshots.mjs [SITE] [../../target/screenshots]
//
// Without SITE it first builds the default archive (site.toml and content/ at the top of the
// repository) with the release binary into target/browser-site, as a new user's build would be.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '../..');
let site = process.argv[2] ? path.resolve(process.argv[2]) : null;
if (!site) {
  site = path.join(repo, 'target/browser-site');
  execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'archive'], { cwd: repo, stdio: 'inherit' });
  // Cargo's output folder: CARGO_TARGET_DIR when set (relative to the repository), target/ otherwise.
  const release = path.resolve(repo, process.env.CARGO_TARGET_DIR || 'target', 'release');
  execFileSync(path.join(release, 'archive'), ['--quiet', 'build', '--output', site], {
    cwd: repo,
    stdio: 'inherit',
  });
}
const shots = path.resolve(process.argv[3] ?? path.join(here, '../../target/screenshots'));
fs.mkdirSync(shots, { recursive: true });

function first(dir, pick) {
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  return walk(path.join(site, dir)).filter(pick);
}

// The cable with the most paragraphs makes the most telling screenshot.
const cables = first('cable', (f) => f.endsWith('.html'));
const cable = cables
  .map((f) => ({ f, n: (fs.readFileSync(f, 'utf8').match(/<p id="?p\d/g) || []).length }))
  .sort((a, b) => b.n - a.n)[0].f;
const pages = {
  home: path.join(site, 'index.html'),
  listing: first('tag', (f) => f.endsWith('.html'))[0],
  cable,
  tags: path.join(site, 'tags.html'),
  months: path.join(site, 'months.html'),
  origins: path.join(site, 'origins.html'),
  year: first('year', (f) => f.endsWith('.html'))[0],
  level: first('classification', (f) => f.endsWith('.html'))[0],
  guide: first('pages', (f) => f.endsWith('.html'))[0],
  timeline: path.join(site, 'timeline.html'),
  people: path.join(site, 'people.html'),
  signer: first('signer', (f) => f.endsWith('.html'))[0],
  classifier: first('classifier', (f) => f.endsWith('.html'))[0],
  // The reference graph: cables cited but not here, the most-cited, a cable's conversation
  // (the busiest one; the default archive's five cables may have none).
  missing: path.join(site, 'refs/missing.html'),
  'most-cited': path.join(site, 'refs/most-cited.html'),
};
// Addressee listings exist when the site turns on `addressee_pages`.
if (fs.existsSync(path.join(site, 'to.html'))) {
  pages.addressees = path.join(site, 'to.html');
  pages.addressee = first('to', (f) => f.endsWith('.html'))[0];
}
{
  const talks = cables
    .map((f) => ({ f, n: (fs.readFileSync(f, 'utf8').split('class=talk')[1]?.match(/<li/g) || []).length }))
    .filter((c) => c.n > 0)
    .sort((a, b) => b.n - a.n);
  if (talks.length) pages.conversation = talks[0].f;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const problems = [];
const variants = [
  { name: 'desktop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true },
  { name: 'desktop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true },
];
for (const v of variants) {
  const context = await browser.newContext({ viewport: v.viewport, colorScheme: v.colorScheme, isMobile: !!v.isMobile });
  for (const [name, file] of Object.entries(pages)) {
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`${name} ${v.name}: console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`${name} ${v.name}: error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`${name} ${v.name}: failed: ${r.url()}`));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    const styled = await page.evaluate(() => getComputedStyle(document.body).marginTop === '0px'
      && getComputedStyle(document.querySelector('body > header')).display === 'flex');
    if (!styled) problems.push(`${name} ${v.name}: stylesheet not applied`);
    const overflow = await page.evaluate((w) => document.documentElement.scrollWidth - w, v.viewport.width);
    if (overflow > 1) problems.push(`${name} ${v.name}: page is ${overflow}px wider than the screen`);
    if (v.name === 'desktop-light') {
      // Every link as the browser resolves it (listing pages have a <base href>) names a file.
      const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'),
        // An SVG link's `href` is an SVGAnimatedString (the timeline's bars).
        (a) => (typeof a.href === 'string' ? a.href : new URL(a.href.baseVal, a.baseURI).href)));
      for (const href of hrefs.filter((h) => h.startsWith('file:'))) {
        const file = decodeURIComponent(new URL(href).pathname);
        if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) problems.push(`${name}: link to ${href}`);
      }
    }
    await page.screenshot({ path: path.join(shots, `${name}-${v.name}.png`), fullPage: true });
    // The first screenful, at full resolution, is what a reader sees first.
    await page.screenshot({ path: path.join(shots, `${name}-${v.name}-top.png`) });
    if (name === 'conversation') {
      await page.evaluate(() => document.querySelector('.talk').scrollIntoView());
      await page.screenshot({ path: path.join(shots, `${name}-${v.name}-talk.png`) });
    }
    if (name === 'cable') {
      await page.evaluate(() => (document.querySelector('#p1') ?? document.querySelector('.telegram'))?.scrollIntoView());
      await page.screenshot({ path: path.join(shots, `${name}-${v.name}-text.png`) });
    }
    await page.close();
  }
  await context.close();
}

// Print: the banners must survive, navigation must not (every page type is printed below).
{
  const page = await browser.newPage({ viewport: { width: 800, height: 1100 } });
  await page.emulateMedia({ media: 'print' });
  await page.goto(pathToFileURL(pages.cable).href);
  const visible = await page.evaluate(() => ({
    banner: getComputedStyle(document.querySelector('.cable > p:first-child')).display !== 'none',
    header: getComputedStyle(document.querySelector('body > header')).display !== 'none',
  }));
  if (!visible.banner || visible.header) problems.push(`print: banner shown ${visible.banner}, header shown ${visible.header}`);
  await page.screenshot({ path: path.join(shots, 'cable-print.png') });
  // Every other page in print too: navigation hidden, nothing wider than the paper.
  for (const [name, file] of Object.entries(pages)) {
    if (name === 'cable') continue;
    await page.goto(pathToFileURL(file).href);
    const shown = await page.evaluate(() => getComputedStyle(document.querySelector('body > header')).display !== 'none');
    if (shown) problems.push(`${name} print: the site header is printed`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - 800);
    if (overflow > 1) problems.push(`${name} print: page is ${overflow}px wider than the paper`);
    await page.screenshot({ path: path.join(shots, `${name}-print.png`), fullPage: true });
  }
  await page.close();
}

// The reference-graph pages in print: tables and the conversation, no navigation.
for (const name of ['missing', 'most-cited', 'conversation'].filter((n) => pages[n])) {
  const page = await browser.newPage({ viewport: { width: 800, height: 1100 } });
  await page.emulateMedia({ media: 'print' });
  await page.goto(pathToFileURL(pages[name]).href);
  await page.screenshot({ path: path.join(shots, `${name}-print.png`) });
  await page.close();
}

// A reference not in the archive (`<x-m>`) gets its words from the stylesheet: they must be
// shown and be in what Chromium gives assistive technology.
{
  const marked = cables.find((f) => fs.readFileSync(f, 'utf8').includes('<x-m>'));
  if (!marked) problems.push('no cable page marks a reference as not in this archive');
  else {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(marked).href);
    const after = await page.evaluate(() => getComputedStyle(document.querySelector('x-m'), '::after').content);
    if (after !== '" (not in this archive)"') problems.push(`missing reference: ::after is ${after}`);
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    if (!nodes.some((n) => n.role?.value === 'StaticText' && n.name?.value === ' (not in this archive)')) {
      problems.push('missing reference: "(not in this archive)" is not in the accessibility tree');
    }
    await page.close();
  }
}

// The search box submits to search.html, which must load without errors too.
{
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`search: console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`search: error: ${e.message}`));
  await page.goto(pathToFileURL(pages.home).href);
  await page.fill('body > header input[type=search]', 'missile defense');
  await Promise.all([page.waitForNavigation(), page.press('body > header input[type=search]', 'Enter')]);
  if (!page.url().includes('search.html?q=missile')) problems.push(`search: went to ${page.url()}`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, 'search-desktop-light.png') });
  await page.close();
}

await browser.close();
console.log(`screenshots of ${Object.keys(pages).length} pages × ${variants.length} variants in ${shots}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
