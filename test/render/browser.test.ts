// The strongest check on the sanitiser: load the rendered hostile document into a real browser,
// without the page CSP, and see that no payload ran. Skipped where no Chromium is installed.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/parse/index.js';
import { render, renderPage } from '../../src/core/render/index.js';
import { hostileDocument } from './xss-corpus.js';

const executablePath =
  ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((path) =>
    existsSync(path),
  ) ?? process.env.CHROMIUM_PATH;

// Evaluated in the page (the test's TypeScript has no DOM types): did any payload set the flag?
const XSS_RAN = 'window.__xss !== undefined';

describe.skipIf(executablePath === undefined)('rendered hostile documents in Chromium', () => {
  it('run no payload (fragment without CSP, and the standalone page)', { timeout: 60_000 }, async () => {
    const browser = await chromium.launch({
      executablePath: executablePath as string,
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      // Control: the harness does see a payload that runs.
      const control = await browser.newPage();
      await control.setContent('<img src="x" onerror="window.__xss=1">', { waitUntil: 'load' });
      await control.waitForFunction(XSS_RAN, undefined, { timeout: 5000 });
      await control.close();

      const doc = parse(hostileDocument(), { fileName: 'hostile.md' });
      // No CSP here: the sanitiser alone must hold.
      await page.setContent(
        `<!doctype html><html><head><title>t</title></head><body>${render(doc)}</body></html>`,
        { waitUntil: 'load' },
      );
      // Give focus-, toggle- and error-handlers a chance to fire, and click every link.
      await page.evaluate(
        `for (const link of document.querySelectorAll('a')) link.click();
         for (const details of document.querySelectorAll('details')) details.open = !details.open;`,
      );
      await page.waitForTimeout(300);
      expect(await page.evaluate(XSS_RAN)).toBe(false);
      expect(
        await page.evaluate(
          `document.querySelectorAll('[style], script, iframe, object, embed, form, svg').length`,
        ),
      ).toBe(0);

      const standalone = await browser.newPage();
      standalone.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await standalone.setContent(renderPage(doc), { waitUntil: 'load' });
      await standalone.waitForTimeout(100);
      expect(await standalone.evaluate(XSS_RAN)).toBe(false);
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
