import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
const [dir, name, out, w, h, full] = process.argv.slice(2);
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/pw-'), { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'], viewport: { width: Number(w), height: Number(h) } });
const page = await ctx.newPage();
await page.goto(`file://${dir}/${name}.html`);
await page.screenshot({ path: out, fullPage: full === '1' });
await ctx.close();
