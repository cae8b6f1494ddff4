/**
 * The document view's margin comments and link graph, in Debian's Chromium against a real server:
 * a comment added on a section sits beside that section (inline under it on a narrow screen), reply
 * and resolve work in the margin, the keyboard reaches "add comment", nothing moves for a document
 * without comments; the graph draws nodes and labelled edges and its nodes navigate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';
import {
  adminToken,
  apiCall,
  launchBrowser,
  requireBrowser,
  screenshot,
  seriousAxeViolations,
  signIn,
  startWebServer,
  type WebServer,
} from './browser.js';

const run = requireBrowser('web margin comments and link graph');

function example(title: string): string {
  return readFileSync(join(repoRoot, 'examples', 'payments-service.md'), 'utf8').replace(
    '# Payments Service',
    `# ${title}`,
  );
}

async function expectNoSeriousA11yIssues(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(
    violations.map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not visible`);
  return b;
}

describe.runIf(run)('web UI: margin comments and link graph', () => {
  let server: WebServer;
  let browser: Browser;
  let token: string;

  async function createDocument(title: string, markdown?: string): Promise<string> {
    const created = await apiCall<{ document: { id: string } }>(
      server,
      'POST',
      '/api/v1/documents',
      markdown ? { markdown } : { template: 'design-document', title },
      { token },
    );
    return created.document.id;
  }

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    token = await adminToken(server);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('puts section comments in the margin beside their section, with reply and resolve in place', async () => {
    const id = await createDocument('Margin Payments', example('Margin Payments'));
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, server, server.admin.username, server.admin.password);
    await page.goto(`${server.url}/d/${id}`);

    // No comments yet: no margin nodes, and the text does not move once the comments have loaded.
    const heading = '.rendered > #problem-statement';
    await page.locator(heading).waitFor();
    const before = await box(page, heading);
    const renderedBefore = await box(page, '.rendered');
    await page.getByText('No comments yet.').waitFor();
    await page.waitForTimeout(300);
    expect(await box(page, heading)).toEqual(before);
    expect(await box(page, '.rendered')).toEqual(renderedBefore);
    expect(await page.locator('.rendered > .margin-slot:not(.add-only)').count()).toBe(0);

    // Select a phrase in the section: the margin offers "+ Comment" level with it, quoting the phrase.
    const phrase = 'Retries from the mobile clients cause double';
    await page.evaluate(
      ({ sel, text }) => {
        const start = document.querySelector(sel) as HTMLElement;
        const paragraph = start.nextElementSibling as HTMLElement;
        const node = paragraph.firstChild as Text;
        const at = node.data.indexOf(text);
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const selection = window.getSelection() as Selection;
        selection.removeAllRanges();
        selection.addRange(range);
        paragraph.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      },
      { sel: heading, text: phrase },
    );
    const add = page.getByTestId('add-comment-problem-statement');
    await add.waitFor();
    const rendered = await box(page, '.rendered');
    const addBox = await box(page, '[data-testid="add-comment-problem-statement"]');
    expect(addBox.x).toBeGreaterThanOrEqual(rendered.x + rendered.width);
    expect(Math.abs(addBox.y - before.y)).toBeLessThan(60);
    await add.click();
    await expect.poll(() => page.getByLabel('Quoted text (optional)').inputValue()).toBe(phrase);
    await page.getByLabel('Comment on Problem Statement').fill('Which clients retry, and how often?');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();

    // The thread sits beside its section: the slot follows the heading in the DOM and is in the margin.
    const slot = page.getByTestId('margin-problem-statement');
    await slot.getByText('Which clients retry, and how often?').waitFor();
    await expect
      .poll(() => slot.getByTestId('comment-badge-problem-statement').textContent())
      .toMatch(/^1 comment/);
    expect(
      await page.evaluate(
        (sel) => (document.querySelector(sel)?.nextElementSibling as HTMLElement).textContent,
        heading,
      ),
    ).toContain('Which clients retry');
    const slotBox = await box(page, '[data-testid="margin-problem-statement"]');
    const headingNow = await box(page, heading);
    expect(slotBox.x).toBeGreaterThanOrEqual(rendered.x + rendered.width);
    expect(Math.abs(slotBox.y - headingNow.y)).toBeLessThan(60);
    await expect.poll(() => slot.locator('blockquote').textContent()).toBe(phrase);
    await expect
      .poll(() => page.getByTestId('comments-summary').textContent())
      .toMatch(/Problem Statement\s*1 open/);

    // Reply and resolve in the margin.
    await slot.getByLabel('Reply to admin').fill('The iOS app, up to three times.');
    await slot.getByRole('button', { name: 'Reply', exact: true }).click();
    await slot.getByText('The iOS app, up to three times.').waitFor();
    await expectNoSeriousA11yIssues(page, 'document with an open margin thread');
    await page.locator(heading).scrollIntoViewIfNeeded();
    await screenshot(page, 'margin-comments');
    await slot.getByRole('button', { name: 'Resolve', exact: true }).click();
    await expect
      .poll(() => slot.getByTestId('comment-badge-problem-statement').textContent())
      .toMatch(/^1 resolved/);
    await slot.getByText('resolved by admin').waitFor();
    expect(await slot.getByRole('button', { name: 'Resolve', exact: true }).count()).toBe(0);
    const stored = await apiCall<{ items: Array<{ resolved: boolean; replies: unknown[]; quote: string }> }>(
      server,
      'GET',
      `/api/v1/documents/${id}/comments`,
      undefined,
      { token },
    );
    expect(stored.items).toEqual([expect.objectContaining({ resolved: true, quote: phrase })]);
    expect(stored.items[0]?.replies).toHaveLength(1);

    // Keyboard only: follow the outline link, Tab reaches "+ Comment" for that section, and back.
    await page.getByRole('link', { name: 'Executive Summary' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('add-comment-executive-summary').waitFor();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('add-comment-executive-summary');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('comment-body-executive-summary');
    await page.keyboard.insertText('Say who owns the ledger.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByTestId('comment-badge-executive-summary').waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('comment-badge-executive-summary');
    await expectNoSeriousA11yIssues(page, 'document with margin comments');

    // A narrow screen shows the threads inline, under their section's heading.
    await page.setViewportSize({ width: 700, height: 900 });
    await expect
      .poll(async () => {
        const s = await box(page, '[data-testid="margin-problem-statement"]');
        const h = await box(page, heading);
        const r = await box(page, '.rendered');
        return s.y >= h.y + h.height - 1 && s.x < r.x + r.width && s.x >= r.x - 1;
      })
      .toBe(true);
    await expectNoSeriousA11yIssues(page, 'narrow document with comments');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('draws the link graph with labelled edges, and its nodes navigate', async () => {
    const center = await createDocument('Payments Platform', example('Payments Platform'));
    const old = await createDocument('Legacy Billing');
    const ledger = await createDocument('Ledger Platform');
    const checkout = await createDocument('Checkout Revamp');
    const link = (from: string, to: string, kind: string) =>
      apiCall(server, 'POST', `/api/v1/documents/${from}/links`, { to, kind }, { token });
    await link(center, old, 'supersedes');
    await link(center, ledger, 'depends-on');
    await link(checkout, center, 'plan-specification');

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server, server.admin.username, server.admin.password);
    await page.goto(`${server.url}/d/${center}`);
    const graph = page.getByTestId('link-graph');
    await graph.waitFor();

    await expect
      .poll(() =>
        graph.getByTestId('graph-node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')).sort()),
      )
      .toEqual([center, checkout, ledger, old].sort());
    const edges = await graph
      .getByTestId('graph-edge')
      .evaluateAll((es) =>
        es.map((e) => `${e.getAttribute('data-from')} ${e.textContent} ${e.getAttribute('data-to')}`).sort(),
      );
    expect(edges).toEqual(
      [
        `${center} supersedes ${old}`,
        `${center} depends on ${ledger}`,
        `${checkout} plan specification ${center}`,
      ].sort(),
    );
    // Every edge is drawn with an arrowhead, and no label sits on top of another.
    const labelBoxes = await graph.locator('.graph-edge-label-bg').evaluateAll((rs) =>
      rs.map((r) => {
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, w: b.width, h: b.height };
      }),
    );
    for (const [i, a] of labelBoxes.entries())
      for (const b of labelBoxes.slice(i + 1))
        expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
    expect(await graph.locator('.graph-edge path[marker-end]').count()).toBe(3);
    // The centre is marked, and neighbours are links named with their title, status and relation.
    expect(await graph.locator('.graph-node.center').getAttribute('data-id')).toBe(center);
    await graph.getByRole('link', { name: 'Ledger Platform (draft): this document depends on it' }).waitFor();
    await graph
      .getByRole('link', { name: 'Checkout Revamp (draft): this document is its plan specification' })
      .waitFor();
    await expectNoSeriousA11yIssues(page, 'document with a link graph');
    await graph.scrollIntoViewIfNeeded();
    await screenshot(page, 'link-graph');

    // Keyboard: focus a node and press Enter.
    await graph.getByRole('link', { name: /Ledger Platform/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/d/${ledger}$`));
    await page.getByRole('heading', { name: 'Ledger Platform', level: 1 }).first().waitFor();
    await expect
      .poll(() => page.locator('[data-testid="link-graph"] .graph-node.center').getAttribute('data-id'))
      .toBe(ledger);

    // Mouse: click the node back to the platform document.
    await page
      .getByTestId('link-graph')
      .getByRole('link', { name: /Payments Platform/ })
      .click();
    await page.waitForURL(new RegExp(`/d/${center}$`));
    await expect
      .poll(() => page.locator('[data-testid="link-graph"] .graph-node.center').getAttribute('data-id'))
      .toBe(center);
    await context.close();
  }, 120_000);
});
