/** Documents the server suites write with, derived from the project's own filled example. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  Database,
  DocumentDerived,
  NewDocument,
  RevisionPayload,
  UserRecord,
} from '../../src/server/data/index.js';
import { openDatabase } from '../../src/server/data/index.js';
import { openServices } from '../../src/server/index.js';
import { createDocument, saveRevision, systemActor } from '../../src/server/services/index.js';
import { repoRoot } from '../support/corpus.js';
import { createTestPostgresDatabase } from '../support/services.js';

/** The filled example with its status set to `status` and every approval slot emptied. */
export function filledDocument(title: string, status = 'Draft'): string {
  const text = readFileSync(join(repoRoot, 'examples', 'payments-service.md'), 'utf8');
  const [head, approvals] = text.split('\n## Approvals\n') as [string, string];
  const emptied = approvals.replace(/^(\*\*[^*]+\*\*)\n(?:- .*\n?)+/gm, '$1\n- \n');
  return `${head.replace('# Payments Service', `# ${title}`).replace(/^Status: .*$/m, `Status: ${status}`)}\n## Approvals\n${emptied}`;
}

/** Adds a sentence to the end of the Security section's Compliance group. */
export function editSecurity(text: string, sentence: string): string {
  return text
    .replace('\n## Dependencies & Assumptions', `- ${sentence}\n\n## Dependencies & Assumptions`)
    .replace(/\n\n- (.*)\n\n## Dependencies/, '\n- $1\n\n## Dependencies');
}

/** Adds a sentence to the Executive Summary. */
export function editSummary(text: string, sentence: string): string {
  return text.replace('## Problem Statement', `${sentence}\n\n## Problem Statement`);
}

/** Three documents, each revised once, and a webhook: what a backup must bring back. */
export async function seedBackupData(dataDir: string, databaseUrl: string | null): Promise<void> {
  const ctx = await openServices({ dataDir, templatesDir: null, finalCommentDays: 0, databaseUrl });
  try {
    const actor = systemActor();
    for (const title of ['Ledger', 'Payments', 'Search']) {
      const record = await createDocument(ctx, actor, {
        markdown: `# ${title}\n\nStatus: Draft\n\n## Summary\n\nWhy ${title.toLowerCase()}.\n`,
      });
      await saveRevision(ctx, actor, record.slug, {
        markdown: `# ${title}\n\nStatus: Draft\n\n## Summary\n\nWhy ${title.toLowerCase()}, revised.\n`,
        baseRevision: 1,
      });
    }
    await ctx.db.events.createWebhook({
      url: 'https://hooks.example.com/designdoc',
      secret: 'whsec_kept',
      events: ['*'],
      format: 'json',
      active: true,
      description: 'chat',
      createdAt: new Date().toISOString(),
    });
  } finally {
    await ctx.db.close();
  }
}

/** The fixed instant the repository suites write with. */
export const FIXED_NOW = '2026-11-27T06:00:00.000Z';

/** A revision as the data layer stores it, with empty findings and extracts unless given. */
export function revisionPayload(text: string, overrides: Partial<RevisionPayload> = {}): RevisionPayload {
  return {
    text,
    sha256: `sha-${text.length}`,
    authorId: null,
    message: '',
    sectionHashes: {},
    createdAt: FIXED_NOW,
    findings: [],
    extracts: [],
    searchMetadata: '',
    ...overrides,
  };
}

/** What a save derives for a draft design document titled `title`, as the data layer stores it. */
export function draftDerived(title: string): DocumentDerived {
  return {
    title,
    template: 'design-document',
    docType: 'Service',
    status: 'draft',
    statusRaw: 'Draft',
    score: 50,
    errorCount: 0,
    supersededBy: null,
  };
}

/** A new draft document record for the repository: no author, path or labels. */
export function draftDocument(slug: string, title: string): NewDocument {
  return { ...draftDerived(title), slug, path: null, authorId: null, labels: [] };
}

/** A member account straight in the repository. */
export function createMember(db: Database, username: string): Promise<UserRecord> {
  return db.createUser({
    username,
    displayName: username.charAt(0).toUpperCase() + username.slice(1),
    email: null,
    passwordHash: null,
    role: 'member',
    createdAt: FIXED_NOW,
    disabledAt: null,
  });
}

/**
 * Opens a `designdoc backup` file as a database and runs `use` on it: a SQLite backup as it is, a
 * PostgreSQL one (a pg_dump archive) restored with pg_restore into a fresh database, dropped after.
 */
export async function withBackupOpened(
  file: string,
  dialect: 'sqlite' | 'postgres',
  use: (copy: Database) => Promise<void>,
): Promise<void> {
  if (dialect === 'sqlite') {
    const copy = await openDatabase({ dialect: 'sqlite', file });
    try {
      await use(copy);
    } finally {
      await copy.close();
    }
    return;
  }
  const restored = await createTestPostgresDatabase();
  try {
    const result = spawnSync(
      'pg_restore',
      ['--no-owner', '--exit-on-error', `--dbname=${restored.url}`, file],
      {
        encoding: 'utf8',
      },
    );
    if (result.status !== 0) throw new Error(`pg_restore failed: ${result.stderr}`);
    const copy = await openDatabase({ dialect: 'postgres', url: restored.url });
    try {
      await use(copy);
    } finally {
      await copy.close();
    }
  } finally {
    await restored.drop();
  }
}
