// The prepare benchmark page (bench/index.html?page=prepare) in Debian's Chromium, with a built package served at
// /segmetry/: what bench/prepare.mjs and bench/prepare-ab.mjs both drive.
import { chromium } from 'playwright-core';
import { chromiumArgs } from '../tests/browser/harness.mjs';
import { startBenchServer } from './server.mjs';

/** The page once its module has loaded, its browser, and `close()` for both and the server. */
export async function openPreparePage(segmetryDir) {
  const server = await startBenchServer(segmetryDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: chromiumArgs,
  });
  const close = async () => {
    await browser.close();
    server.close();
  };
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(0);
    page.on('pageerror', (err) => console.error('  [page]', err));
    page.on('console', (m) => m.type() === 'error' && console.error(`  [page error] ${m.text()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/index.html?page=prepare`);
    await page.waitForFunction(() => window.benchPrepare !== undefined);
    return { page, browser, close };
  } catch (err) {
    await close();
    throw err;
  }
}
