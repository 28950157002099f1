// Opens every page of the web book in headless Chromium, at a desktop and at a phone
// width, takes a full-page screenshot of each, and fails on what a reader would see:
//   - a console error, a script error, or any request that leaves the file system;
//   - a page that renders blank (no heading, or almost no text);
//   - text that overflows its box: an element wider than its box where it does not
//     scroll by design (tables scroll sideways inside .scroll), the page itself wider
//     than the screen, or SVG text outside its picture.
//   node tools/book-check/check.mjs BOOK_DIR SHOT_DIR
// Prints one line per page and viewport, then "book-check: N passed, M failed".
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const [bookDir, shotDir] = process.argv.slice(2);
if (!bookDir || !shotDir) {
  console.error('usage: node check.mjs BOOK_DIR SHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(shotDir, { recursive: true });
const pages = fs.readdirSync(bookDir).filter((f) => f.endsWith('.html')).sort();
if (pages.length === 0) {
  console.error(`book-check: no pages in ${bookDir} (run make book first)`);
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--allow-file-access-from-files'],
});
const viewports = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
let passed = 0;
let failed = 0;
for (const viewport of viewports) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  for (const file of pages) {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      problems.push(`request outside the file system: ${url}`);
      return route.abort();
    });
    await page.goto('file://' + path.resolve(bookDir, file), { waitUntil: 'load' });
    const seen = await page.evaluate(() => {
      const r = { overflow: [] };
      const h1 = document.querySelector('h1');
      r.heading = h1 ? h1.getBoundingClientRect().height : 0;
      r.text = document.body.innerText.trim().length;
      r.pageWider = document.documentElement.scrollWidth - window.innerWidth;
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('svg')) continue;
        if (getComputedStyle(el).overflowX !== 'visible') continue;  // scrolls or clips by design
        if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
          r.overflow.push(`<${el.tagName.toLowerCase()}> ${el.scrollWidth} px in ${el.clientWidth}: ` +
                          el.textContent.trim().slice(0, 50));
        }
      }
      for (const svg of document.querySelectorAll('svg')) {
        const box = svg.viewBox.baseVal;
        for (const t of svg.querySelectorAll('text')) {
          const b = t.getBBox();
          const m = t.getCTM();  // rotated labels: test the box's corners in the svg's frame
          const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                           [b.x + b.width, b.y + b.height]].map(([x, y]) => {
            const p = new DOMPoint(x, y).matrixTransform(svg.getCTM().inverse().multiply(m));
            return [p.x, p.y];
          });
          const outside = corners.some(([x, y]) => x < -1 || y < -1 || x > box.width + 1 ||
                                                   y > box.height + 1);
          if (outside) r.overflow.push(`svg ${svg.dataset.name || svg.className.baseVal}: text "` +
                                       t.textContent.slice(0, 40) + '" outside the picture');
        }
      }
      return r;
    });
    if (seen.heading === 0 || seen.text < 200) problems.push(`renders blank (${seen.text} characters of text)`);
    if (seen.pageWider > 1) problems.push(`the page is ${seen.pageWider} px wider than the screen`);
    for (const o of seen.overflow.slice(0, 8)) problems.push(`overflow: ${o}`);
    const shot = path.join(shotDir, file.replace(/\.html$/, `.${viewport.name}.png`));
    await page.screenshot({ path: shot, fullPage: true });
    if (problems.length === 0) {
      passed++;
      console.log(`ok   ${file} (${viewport.name}) → ${shot}`);
    } else {
      failed++;
      console.log(`FAIL ${file} (${viewport.name}):`);
      for (const p of problems) console.log(`       ${p}`);
    }
    await page.close();
  }
  await context.close();
}
await browser.close();
console.log(`book-check: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
