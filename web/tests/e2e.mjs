// End-to-end test of the dashboard in real headless Chromium.
//
//   QUOTASIM_BIN=target/debug/quotasim node web/tests/e2e.mjs
//
// Starts `quotasim dashboard --port 0`, loads the page, lets it run the national
// default, checks every summary value on the page against `quotasim run` on the
// scenario the page offers for download, lowers the per-office quota with the
// keyboard, checks the numbers move the expected way and again equal the command's,
// turns on the comparison, and saves screenshots (laptop and phone widths) in
// web/tests/output/. Prints the time from the slider change to the updated charts.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.QUOTASIM_BIN ?? 'target/debug/quotasim');
const out = join(here, 'output');
mkdirSync(out, { recursive: true });
const scratch = mkdtempSync(join(tmpdir(), 'quotasim-e2e-'));

function step(message) {
  console.log(`e2e: ${message}`);
}

/** Starts the dashboard server; resolves with its address and the process. */
function startServer() {
  const server = spawn(bin, ['dashboard', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolveUrl, reject) => {
    let text = '';
    server.stdout.on('data', (d) => {
      text += d;
      const m = /quotasim dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
      if (m) resolveUrl({ url: m[1], server });
    });
    server.on('exit', (code) => reject(new Error(`quotasim dashboard exited with ${code} before printing its address`)));
  });
}

/** Every summary value the page shows, keyed, as JSON text. */
async function pageValues(page) {
  return page.$$eval('#values-table td[data-key]', (cells) => Object.fromEntries(cells.map((c) => [c.dataset.key, c.dataset.value])));
}

async function waitReady(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 300_000 });
}

/** Downloads the page's scenario, runs it with the command, compares every value. */
async function sameAsCommand(page, name) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const file = join(scratch, `${name}.toml`);
  await download.saveAs(file);
  const runDir = join(scratch, `${name}-run`);
  execFileSync(bin, ['run', file, '--quiet', '--out', runDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const cli = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  const shown = await pageValues(page);
  assert.deepEqual(Object.keys(shown).sort(), Object.keys(cli).sort(), 'the page shows every summary key');
  for (const [k, v] of Object.entries(cli)) {
    assert.equal(shown[k], JSON.stringify(v), `${name}: ${k} on the page equals summary.json of quotasim run`);
  }
  step(`${name}: all ${Object.keys(cli).length} summary values equal those of quotasim run on the downloaded scenario`);
  return Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, JSON.parse(v)]));
}

const { url, server } = await startServer();
step(`server at ${url}`);
const context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request outside the server: ${r.url()}`);
  });

  await page.goto(url);
  await waitReady(page);
  const first = await sameAsCommand(page, 'default');
  assert.equal(first.scenario, 'quota-2025-fitted');
  assert.equal(first.days, 377);
  step(`default: ${first.arrests_per_day_mean.toFixed(1)} arrests a day, ${(100 * first.share_other).toFixed(1)} % with no record`);

  // The charts and the map are drawn, with their text alternatives.
  assert.equal(await page.locator('#charts figure svg[role="img"][aria-label]').count(), 7);
  assert.equal(await page.locator('#map path.office').count(), 25);
  assert.equal(await page.locator('#map-table tbody tr').count(), 25);

  // Lower the per-office quota from 120 to 40 a day with the keyboard (16 steps of 5).
  const slider = page.locator('#lever-quota-per_office_per_day');
  assert.equal(await slider.inputValue(), '120');
  await slider.focus();
  for (let i = 0; i < 16; i++) await page.keyboard.press('ArrowLeft');
  assert.equal(await slider.inputValue(), '40');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  const ms = Number(await page.getAttribute('#status', 'data-ms'));
  const engineMs = Number(await page.getAttribute('#status', 'data-engine-ms'));
  const lower = await sameAsCommand(page, 'quota-40');
  step(`slider to updated charts: ${(ms / 1000).toFixed(2)} s (the model in WebAssembly: ${(engineMs / 1000).toFixed(2)} s)`);
  step(`quota 40: ${lower.arrests_per_day_mean.toFixed(1)} arrests a day, ${(100 * lower.share_other).toFixed(1)} % with no record, ${(100 * lower.offices_missing_quota_share).toFixed(0)} % of offices short`);
  // A lower quota: less pressure on the managers, so fewer arrests, and fewer offices
  // short of their (lower) quota, each meeting more of it. (The share with no record
  // is not monotone in the quota here: docs/sweeps.md.)
  assert.ok(lower.arrests_per_day_mean < first.arrests_per_day_mean, 'a lower quota gives fewer arrests');
  assert.ok(lower.offices_missing_quota_share < first.offices_missing_quota_share, 'fewer offices miss a lower quota');
  for (const [code, v] of Object.entries(first.quota_attainment_by_office)) {
    assert.ok(lower.quota_attainment_by_office[code] > v, `${code} meets more of a lower quota`);
  }
  const shownArrests = await page.getAttribute('#summary dd[data-key="arrests_per_day_mean"]', 'data-value');
  assert.equal(JSON.parse(shownArrests), lower.arrests_per_day_mean, 'the headline card shows the new value');
  await page.screenshot({ path: join(out, 'dashboard.png'), fullPage: true });

  // Compare with the scenario as shipped: both runs, the differences on the cards.
  await page.check('#compare');
  await page.waitForSelector('body[data-state="running"]', { timeout: 10_000 });
  await waitReady(page);
  const base = await page.textContent('#summary dd[data-key="arrests_per_day_mean"] .base');
  assert.match(base, /shipped: [\d,]+; change −/, 'the comparison shows the shipped value and a fall');
  assert.equal(await page.locator('#charts figure').count(), 4, 'the four overlay charts of quotasim compare');
  await page.screenshot({ path: join(out, 'dashboard-compare.png'), fullPage: false });

  // A phone's width: one column, nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page fits a phone's width (overflows by ${overflow} px)`);
  await page.screenshot({ path: join(out, 'dashboard-phone.png'), fullPage: true });

  assert.deepEqual(problems, [], 'no script errors and nothing fetched from elsewhere');
  step(`screenshots in ${out}`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await context.close();
  server.kill('SIGINT');
  rmSync(scratch, { recursive: true, force: true });
}
if (failed) process.exit(1);
step('passed');
