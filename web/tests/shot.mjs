// Development helper (not a test): screenshots of the page at a width.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const [width, height, file] = [Number(process.argv[2] ?? 1280), Number(process.argv[3] ?? 900), process.argv[4] ?? '/tmp/page.png'];
const server = spawn(process.env.QUOTASIM_BIN ?? 'target/debug/quotasim', ['dashboard', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((r) => server.stdout.on('data', (d) => { const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(String(d)); if (m) r(m[1]); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width, height } });
page.on('console', (m) => console.log(`console ${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
await page.goto(url);
await page.waitForSelector('body[data-state="ready"]', { timeout: 120000 });
if (process.env.SCENARIO) {
  await page.selectOption('#scenario', process.env.SCENARIO);
  await page.waitForSelector('body[data-state="running"]', { timeout: 10000 });
  await page.waitForSelector('body[data-state="ready"]', { timeout: 120000 });
}
if (process.env.PARTS) {
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let i = 0, y = 0; y < h; i++, y += 1600) {
    await page.screenshot({ path: file.replace('.png', `-${i}.png`), fullPage: true, clip: { x: 0, y, width, height: Math.min(1600, h - y) } });
  }
} else await page.screenshot({ path: file, fullPage: process.env.FULL === '1' });
console.log(await page.textContent('#headline'));
await browser.close();
server.kill();
