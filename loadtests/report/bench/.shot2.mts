import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
const [file, sel, out] = process.argv.slice(2);
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/pw-'), { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'], viewport: { width: 1060, height: 1200 } });
const page = await ctx.newPage();
await page.goto(`file://${file}`);
await page.locator(sel).screenshot({ path: out });
await ctx.close();
