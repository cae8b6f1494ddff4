/**
 * End-to-end journeys in Debian's Chromium against a real server: write → lint → review →
 * stale approval → re-approve → Approved → history; and two writers meeting in the merge view.
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

const run = requireBrowser('web journeys');
const REVIEWER_PASSWORD = 'reviewer-password-123';

/** The filled example, retitled and reset to a Draft with empty approval slots. */
function filledDraft(title: string): string {
  const example = readFileSync(join(repoRoot, 'examples', 'payments-service.md'), 'utf8');
  return example
    .replace('# Payments Service', `# ${title}`)
    .replace('Status: Approved', 'Status: Draft')
    .replace(/^- .* — approved \d{4}-\d{2}-\d{2} \(rev \d+\)$/gm, '- ');
}

async function replaceEditorText(page: Page, text: string): Promise<void> {
  const content = page.locator('.cm-content').first();
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
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

function slot(page: Page, name: string) {
  return page.getByTestId(`slot-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
}

describe.runIf(run)('web UI journeys', () => {
  let server: WebServer;
  let browser: Browser;
  let token: string;

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    token = await adminToken(server);
    await apiCall(
      server,
      'POST',
      '/api/v1/admin/users',
      { username: 'rhea', displayName: 'Rhea Reviewer', role: 'member', password: REVIEWER_PASSWORD },
      { token },
    );
    await apiCall(
      server,
      'POST',
      '/api/v1/admin/users',
      { username: 'ana', displayName: 'Ana Author', role: 'member', password: REVIEWER_PASSWORD },
      { token },
    );
    await apiCall(server, 'POST', '/api/v1/admin/groups', { name: 'security' }, { token }).catch(
      () => undefined,
    );
    await apiCall(server, 'PUT', '/api/v1/admin/groups/security/members/rhea', undefined, { token });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('takes a design from a new draft to Approved, with a stale approval on the way', async () => {
    const author = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await author.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      // Expected refusals (the 401 before sign-in, the refused transition) show up as failed loads.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`console: ${m.text()}`);
    });

    await signIn(page, server, server.admin.username, server.admin.password);
    await expectNoSeriousA11yIssues(page, 'dashboard');

    // New document from the design-document template.
    await page.getByRole('link', { name: 'New document' }).click();
    await page.getByLabel('Template').selectOption('design-document');
    await page.getByLabel('Title').fill('Search Service');
    await page.getByLabel('Type (optional)').fill('Service Design');
    await expectNoSeriousA11yIssues(page, 'new document');
    await page.getByRole('button', { name: 'Create and edit' }).click();
    await page.waitForURL(/\/d\/search-service\/edit$/);

    // Live lint shows the template's empty fields inline.
    await page.locator('.cm-lint-marker').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => Number((await page.getByText(/\d+ lint findings/).textContent())?.split(' ')[0]))
      .toBeGreaterThan(10);
    await screenshot(page, 'editor-lint');
    await expectNoSeriousA11yIssues(page, 'editor');

    // Fill it in and save.
    await replaceEditorText(page, filledDraft('Search Service'));
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Saved revision 2/);

    // Request the three reviews, then move to In Review.
    await page.getByRole('link', { name: 'Back to document' }).click();
    await page.getByTestId('review-panel').waitFor();
    for (const name of ['Technical Review', 'Architecture Review', 'Security Review']) {
      await slot(page, name)
        .getByRole('textbox', { name: /Reviewers for/ })
        .fill('rhea');
      await slot(page, name).getByRole('button', { name: 'Request review' }).click();
      await slot(page, name).getByText('Asked: rhea').waitFor({ state: 'visible' });
    }
    // A review request may already have moved the draft into review; otherwise the author does.
    await page.reload();
    await page.getByTestId('review-panel').waitFor();
    if ((await page.getByTestId('status-badge').first().textContent()) !== 'In review') {
      await page.getByLabel('New status').selectOption('in-review');
      await page.getByRole('button', { name: 'Change status' }).click();
    }
    await expect.poll(() => page.getByTestId('status-badge').first().textContent()).toBe('In review');

    // Approving now is refused, and the server's reason is shown.
    await page.getByLabel('New status').selectOption('approved');
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.getByTestId('transition-error').textContent()).toMatch(/approv/i);
    await expectNoSeriousA11yIssues(page, 'document view');
    await screenshot(page, 'document-view');

    // A second user approves all three slots.
    const reviewerContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const reviewer = await reviewerContext.newPage();
    await signIn(reviewer, server, 'rhea', REVIEWER_PASSWORD);
    await reviewer.getByText('Search Service').waitFor({ state: 'visible' });
    await reviewer.goto(`${server.url}/d/search-service`);
    for (const name of ['Technical Review', 'Architecture Review', 'Security Review']) {
      await slot(reviewer, name).getByRole('button', { name: 'Approve' }).click();
      await slot(reviewer, name).getByText('✓ approved').waitFor({ state: 'visible' });
    }
    await slot(reviewer, 'Security Review').scrollIntoViewIfNeeded();
    await screenshot(reviewer, 'review-panel');

    // The author edits the Security section: the security approval goes stale, the others hold.
    await page.goto(`${server.url}/d/search-service/edit`);
    await page.locator('.cm-content').first().waitFor();
    const current = await apiCall<{ markdown: string }>(
      server,
      'GET',
      '/api/v1/documents/search-service',
      undefined,
      { token },
    );
    const securityEdit = current.markdown.replace(
      'the service accepts only mTLS from the gateway.',
      'the service accepts only mTLS from the gateway, with certificates rotated every 30 days.',
    );
    expect(securityEdit).not.toBe(current.markdown);
    await replaceEditorText(page, securityEdit);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('editor-status').textContent()).toMatch(/Saved revision/);

    await reviewer.reload();
    await slot(reviewer, 'Security Review').getByText(/stale/).waitFor({ state: 'visible' });
    await slot(reviewer, 'Technical Review').getByText('✓ approved').waitFor({ state: 'visible' });

    // Re-approve Security, and give the final sign-off.
    await slot(reviewer, 'Security Review').getByRole('button', { name: 'Approve' }).click();
    await slot(reviewer, 'Security Review').getByText('✓ approved').waitFor({ state: 'visible' });
    // The author asks for the final sign-off once every review slot is approved.
    await page.goto(`${server.url}/d/search-service`);
    await slot(page, 'Approved By')
      .getByRole('textbox', { name: /Reviewers for/ })
      .fill('rhea');
    await slot(page, 'Approved By').getByRole('button', { name: 'Request review' }).click();
    await slot(page, 'Approved By').getByText('Asked: rhea').waitFor({ state: 'visible' });
    await reviewer.reload();
    await slot(reviewer, 'Approved By').getByRole('button', { name: 'Approve' }).click();
    await slot(reviewer, 'Approved By').getByText('✓ approved').waitFor({ state: 'visible' });

    // Now the move to Approved succeeds, and the markdown records it.
    await page.goto(`${server.url}/d/search-service`);
    await page.getByLabel('New status').selectOption('approved');
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect.poll(() => page.getByTestId('status-badge').first().textContent()).toBe('Approved');
    const approved = await apiCall<{ markdown: string }>(
      server,
      'GET',
      '/api/v1/documents/search-service',
      undefined,
      { token },
    );
    expect(approved.markdown).toMatch(/^Status: Approved$/m);
    expect(approved.markdown).toMatch(/Security Review\*\*\n- .*rhea|Rhea Reviewer.*approved/);

    // History shows the Security edit as a diff.
    await page.getByRole('button', { name: 'History' }).click();
    await page.getByTestId('diff-view').waitFor();
    const revisions = await apiCall<{ items: Array<{ revision: number }> }>(
      server,
      'GET',
      '/api/v1/documents/search-service/revisions',
      undefined,
      { token },
    );
    expect(revisions.items.length).toBeGreaterThanOrEqual(4);
    // Find the revision that brought the security edit and compare it with the one before.
    let edited = 0;
    for (const { revision } of revisions.items.sort((a, b) => a.revision - b.revision)) {
      const text = await (
        await fetch(`${server.url}/api/v1/documents/search-service/markdown?revision=${revision}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text();
      if (text.includes('certificates rotated every 30 days')) {
        edited = revision;
        break;
      }
    }
    expect(edited).toBeGreaterThan(1);
    await page.getByLabel(`Compare from revision ${edited - 1}`).check();
    await page.getByLabel(`Compare to revision ${edited}`).check();
    await expect
      .poll(() => page.getByTestId('diff-view').textContent())
      .toContain('certificates rotated every 30 days');
    await expect
      .poll(() => page.locator('.changed-section').allTextContents())
      .toEqual([expect.stringMatching(/security/i)]);
    await expectNoSeriousA11yIssues(page, 'history');
    await page.getByTestId('diff-view').scrollIntoViewIfNeeded();
    await screenshot(page, 'diff-view');

    await page.goto(`${server.url}/`);
    await page
      .getByRole('heading', { name: 'Recently approved' })
      .waitFor({ timeout: 10_000 })
      .catch(async (e: unknown) => {
        throw new Error(`dashboard did not load: ${errors.join(' | ')}`, { cause: e });
      });
    await page.getByRole('link', { name: 'Search Service' }).first().waitFor({ state: 'visible' });
    await screenshot(page, 'dashboard');

    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Search').fill('idempotency');
    await page.locator('td.snippet mark').first().waitFor({ state: 'visible' });
    await expectNoSeriousA11yIssues(page, 'documents');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'API tokens' }).waitFor();
    await expectNoSeriousA11yIssues(page, 'settings');

    expect(errors).toEqual([]);
    await author.close();
    await reviewerContext.close();
  }, 240_000);

  it('shows the merge view to the second writer and loses neither text', async () => {
    const created = await apiCall<{ document: { id: string } }>(
      server,
      'POST',
      '/api/v1/documents',
      { template: 'design-document', title: 'Queue Design' },
      { token },
    );
    const id = created.document.id;
    const base = await apiCall<{ markdown: string }>(server, 'GET', `/api/v1/documents/${id}`, undefined, {
      token,
    });

    const first = await (await browser.newContext()).newPage();
    const second = await (await browser.newContext()).newPage();
    await signIn(first, server, server.admin.username, server.admin.password);
    await signIn(second, server, server.admin.username, server.admin.password);
    await first.goto(`${server.url}/d/${id}/edit`);
    await second.goto(`${server.url}/d/${id}/edit`);
    await first.locator('.cm-content').first().waitFor();
    await second.locator('.cm-content').first().waitFor();

    const mineFirst = base.markdown.replace(
      '## Executive Summary\n',
      '## Executive Summary\n\nFirst writer: queues decouple producers from consumers.\n',
    );
    const mineSecond = base.markdown.replace(
      '## Problem Statement\n',
      '## Problem Statement\n\nSecond writer: bursts overload the workers today.\n',
    );
    await replaceEditorText(first, mineFirst);
    await replaceEditorText(second, mineSecond);

    await first.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => first.getByTestId('editor-status').textContent()).toMatch(/Saved revision 2/);

    await second.getByRole('button', { name: 'Save' }).click();
    await second.getByTestId('merge-view').waitFor();
    await expect.poll(() => second.getByTestId('editor-status').textContent()).toContain('first');
    await screenshot(second, 'merge-view');

    // Take the first writer's chunk into our side, keep ours, save the merge.
    await second.locator('.cm-merge-revert button').first().click();
    await second.getByRole('button', { name: 'Use merged text' }).click();
    await second.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => second.getByTestId('editor-status').textContent()).toMatch(/Saved revision 3/);

    const final = await apiCall<{ markdown: string }>(server, 'GET', `/api/v1/documents/${id}`, undefined, {
      token,
    });
    expect(final.markdown).toContain('First writer: queues decouple producers from consumers.');
    expect(final.markdown).toContain('Second writer: bursts overload the workers today.');
  }, 180_000);
});
