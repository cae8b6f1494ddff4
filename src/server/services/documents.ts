/**
 * The documents service: create from a template or from markdown, save immutable revisions with
 * optimistic concurrency, lint on every save, diff, archive and restore, list and query, links and
 * the graph, export. No HTTP here: errors are `DesignDocError`s the gateway maps to statuses.
 */
import { diffLines, createTwoFilesPatch } from 'diff';
import { DesignDocError } from '../../core/errors.js';
import { parse } from '../../core/parse/index.js';
import { isWellFormed } from '../../core/well-formed.js';
import { isSettledStatus } from '../../core/lint/unresolved-questions.js';
import { isBlankValue } from '../../core/lint/source-text.js';
import { newDocument } from '../../core/template/new-document.js';
import { findTemplate } from '../../core/template/find-template.js';
import type { DesignDocument, Lifecycle } from '../../core/model.js';
import { statusLabel } from '../../core/edit/index.js';
import { LIFECYCLE } from '../../core/model.js';
import {
  LINK_KINDS,
  type DocumentPatch,
  type DocumentRecord,
  type ExtractHit,
  type ExtractRecord,
  type FindingRecord,
  type LinkKind,
  type Page,
  type RevisionRecord,
  type SearchHit,
} from '../data/database.js';
import { searchPrefixes } from '../data/search-prefixes.js';
import { actorRole, type Actor } from './actor.js';
import { recordAudit } from './audit.js';
import { parseCachedJson } from './cache-json.js';
import { isAnalysisTimeout, type AnalyzeOptions, type StoredAnalysis } from './analysis-pool.js';
import { analyzeText, OWN_TEXT, sectionTitles, type Analysis } from './document-analysis.js';
import { documentNotFound, withDocumentLock } from './document-lock.js';
import { rewriteApprovals, rewriteStatus } from './lifecycle-text.js';
import { recordedApprovalLines } from './review-state.js';
import { visibilityOf } from './policy.js';
import { staleApprovalEvents } from '../events/stale-approvals.js';
import { nowIso, today, type ServiceContext } from './service-context.js';

/** The API's view of a document (without its text). */
export interface DocumentView {
  id: string;
  title: string;
  template: string | null;
  type: string | null;
  status: string | null;
  statusRaw: string;
  author: string | null;
  labels: string[];
  revision: number;
  etag: string;
  score: number;
  errorCount: number;
  supersededBy: string | null;
  finalCommentEndsAt: string | null;
  archived: boolean;
  path: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The strong ETag of a document's current revision. */
export function etagOf(record: Pick<DocumentRecord, 'slug' | 'currentRevision'>): string {
  return `"${record.currentRevision}"`;
}

// Usernames never change, so each database's id → name lookups are remembered (per database:
// several servers may share one process in tests).
const userNames = new WeakMap<object, Map<number, string>>();

async function usernameOf(ctx: ServiceContext, id: number | null): Promise<string | null> {
  if (id === null) return null;
  let names = userNames.get(ctx.db);
  if (!names) userNames.set(ctx.db, (names = new Map()));
  const known = names.get(id);
  if (known !== undefined) return known;
  const user = await ctx.db.getUser(id);
  if (user) names.set(id, user.username);
  return user?.username ?? null;
}

export async function presentDocument(ctx: ServiceContext, record: DocumentRecord): Promise<DocumentView> {
  return {
    id: record.slug,
    title: record.title,
    template: record.template === '' ? null : record.template,
    type: record.docType,
    status: record.status,
    statusRaw: record.statusRaw,
    author: await usernameOf(ctx, record.authorId),
    labels: record.labels,
    revision: record.currentRevision,
    etag: etagOf(record),
    score: record.score,
    errorCount: record.errorCount,
    supersededBy: record.supersededBy,
    finalCommentEndsAt: record.fcpEndsAt,
    archived: record.archivedAt !== null,
    path: record.path,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

// ---- cache ------------------------------------------------------------------------------------
// Document records change on every write and are invalidated then; revision texts never change,
// so their cache entries are keyed by revision and never need invalidating (on any instance).

const recordKey = (slug: string) => `doc:${slug}`;
const RECORD_TTL_MS = 10_000;
const textKey = (id: number, revision: number) => `rev:${id}:${revision}`;

async function invalidate(ctx: ServiceContext, record: DocumentRecord): Promise<void> {
  await ctx.cache.delete(recordKey(record.slug));
}

/** The document record by its id (slug), through the cache. Null when there is none. */
export async function findDocument(ctx: ServiceContext, slug: string): Promise<DocumentRecord | null> {
  const key = recordKey(slug);
  const cached = await ctx.cache.get(key);
  if (cached !== undefined) return parseCachedJson<DocumentRecord>(ctx.cache, key, cached);
  const record = await ctx.db.getDocumentBySlug(slug);
  // A short life bounds how long a write from another process (CLI import) goes unseen.
  if (record) await ctx.cache.set(recordKey(slug), JSON.stringify(record), RECORD_TTL_MS);
  return record;
}

export async function requireDocument(ctx: ServiceContext, slug: string): Promise<DocumentRecord> {
  const record = await findDocument(ctx, slug);
  if (!record) throw documentNotFound(slug);
  return record;
}

/** A document's text as the parser reads it: named by its path, as its analysis names it. */
export function parseDocumentText(record: DocumentRecord, text: string): DesignDocument {
  return parse(text, record.path === null ? {} : { fileName: record.path });
}

/** How a document's texts are analysed: its path, its pinned template, its title as a fallback. */
function analyzeOptionsOf(record: DocumentRecord): AnalyzeOptions {
  return { fileName: record.path, templateName: record.template || null, fallbackTitle: record.title };
}

/** The text of one revision (the current one by default), through the cache. */
export async function readRevisionText(
  ctx: ServiceContext,
  record: DocumentRecord,
  revision?: number,
): Promise<string> {
  const number = revision ?? record.currentRevision;
  const key = textKey(record.id, number);
  const cached = await ctx.cache.get(key);
  if (cached !== undefined) return cached;
  const row = await ctx.db.getRevision(record.id, number);
  if (!row)
    throw new DesignDocError('DD_E_NOT_FOUND', `Document "${record.slug}" has no revision ${number}.`, {
      location: { field: 'revision' },
    });
  await ctx.cache.set(key, row.text);
  return row.text;
}

export async function requireRevision(
  ctx: ServiceContext,
  record: DocumentRecord,
  number: number,
): Promise<RevisionRecord> {
  const row = await ctx.db.getRevision(record.id, number);
  if (!row)
    throw new DesignDocError('DD_E_NOT_FOUND', `Document "${record.slug}" has no revision ${number}.`, {
      location: { field: 'revision' },
    });
  return row;
}

// ---- input checks -----------------------------------------------------------------------------

/** Refuses text no design document holds: NUL bytes, a body over the limit, lone surrogates. */
export function checkText(ctx: ServiceContext, text: string, field = 'markdown'): void {
  if (text.includes('\u0000')) {
    throw new DesignDocError(
      'DD_E_BINARY_FILE',
      `The ${field} holds NUL characters: binary data, not markdown.`,
      { location: { field } },
    );
  }
  if (Buffer.byteLength(text, 'utf8') > ctx.config.maxDocumentBytes) {
    throw new DesignDocError(
      'DD_E_FILE_TOO_LARGE',
      `The ${field} is larger than ${ctx.config.maxDocumentBytes} bytes.`,
      { location: { field } },
    );
  }
  if (!isWellFormed(text)) {
    throw new DesignDocError(
      'DD_E_INVALID_UTF8',
      `The ${field} holds unpaired surrogates and cannot be stored as UTF-8.`,
      { location: { field } },
    );
  }
}

/** `Payments Service v2` → `payments-service-v2`. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug === '' ? 'document' : slug;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,99}$/;

async function uniqueSlug(ctx: ServiceContext, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!(await ctx.db.getDocumentBySlug(slug))) return slug;
  }
}

function normalizeLabels(labels: readonly string[] | undefined): string[] {
  return [...new Set((labels ?? []).map((l) => l.trim().toLowerCase()).filter((l) => l !== ''))].sort();
}

/**
 * `analyzeText` on the context's worker threads when it has them (a running server), else here;
 * a worker that failed costs only the inline path's time. Saves and the linting of unsaved
 * drafts go through it.
 */
export async function analyzeOffThread(
  ctx: ServiceContext,
  text: string,
  options: AnalyzeOptions,
): Promise<StoredAnalysis & Partial<Pick<Analysis, 'doc'>>> {
  if (ctx.analysis) {
    try {
      return await ctx.analysis.analyze(text, options);
    } catch (error) {
      if (isAnalysisTimeout(error)) throw error;
      // Analysed below, where an error in the analysis itself surfaces as it always has.
    }
  }
  return analyzeText(ctx, text, options);
}

function payloadOf(analysis: StoredAnalysis, text: string, actor: Actor, message: string, at: string) {
  return {
    text,
    sha256: analysis.sha256,
    authorId: actor.user?.id ?? null,
    message,
    sectionHashes: analysis.sectionHashes,
    createdAt: at,
    findings: analysis.findings,
    extracts: analysis.extracts,
    searchMetadata: analysis.searchMetadata,
  };
}

// ---- create, save -----------------------------------------------------------------------------

export interface CreateDocumentInput {
  /** Markdown to store as revision 1; when absent the document is made from `template`. */
  markdown?: string;
  title?: string;
  template?: string;
  type?: string;
  /** Wanted id; derived from the title when absent. */
  id?: string;
  labels?: string[];
  /** Relative path for folder import/export. */
  path?: string | null;
  message?: string;
}

/**
 * Creates a document: from markdown as given, or from a template's skeleton filled with title,
 * type, today's date and the author. Revision 1 is linted and indexed in the same transaction.
 */
export async function createDocument(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateDocumentInput,
): Promise<DocumentRecord> {
  let text: string;
  let templateName: string | null = null;
  if (input.markdown !== undefined) {
    text = input.markdown;
    if (input.template !== undefined)
      templateName = findTemplate([...ctx.templates.values()], input.template).name;
  } else {
    const title = input.title?.trim();
    if (!title) {
      throw new DesignDocError(
        'DD_E_VALIDATION',
        'A new document needs a title (or markdown to start from).',
        { location: { field: 'title' } },
      );
    }
    const schema = findTemplate([...ctx.templates.values()], input.template ?? 'design-document');
    templateName = schema.name;
    text = newDocument(schema, {
      title,
      date: today(ctx),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(actor.user ? { author: actor.user.displayName } : {}),
    });
  }
  checkText(ctx, text);
  if (input.id !== undefined && !SLUG.test(input.id)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `The id "${input.id}" is not valid: use lower-case letters, digits and "-".`,
      { location: { field: 'id' } },
    );
  }
  const fileName = input.path ?? null;
  // Off the request thread, as a save's: a large import document must not hold the event loop.
  const analysis = await analyzeOffThread(ctx, text, {
    fileName,
    templateName,
    fallbackTitle: input.title ?? input.id ?? 'Untitled',
  });
  const slug =
    input.id ??
    (await uniqueSlug(ctx, slugify(input.path ? input.path.replace(/\.md$/i, '') : analysis.derived.title)));
  const at = nowIso(ctx);
  const record = await ctx.db.createDocument(
    {
      ...analysis.derived,
      slug,
      path: input.path ?? null,
      authorId: actor.user?.id ?? null,
      labels: normalizeLabels(input.labels),
    },
    payloadOf(analysis, text, actor, input.message ?? 'Created', at),
  );
  await recordAudit(ctx, actor, 'document.create', `document:${slug}`, {
    revision: 1,
    template: record.template,
  });
  return record;
}

export interface SaveRevisionInput {
  markdown: string;
  /** The revision the edit started from (If-Match). */
  baseRevision: number;
  /**
   * `If-Match: *`: save over whatever revision is current when the save is written, even one that
   * landed while this one was analysed. Only a status change made meanwhile still refuses it (the
   * Status line was checked against the status before).
   */
  unconditional?: boolean;
  message?: string;
  /** Saving an empty text over a non-empty one needs this explicit act. */
  allowEmpty?: boolean;
  /** How this caller says allowEmpty, for the refusal (default: the JSON body's field). */
  allowEmptyHint?: string;
  /**
   * Take the status from the text (folder import). Otherwise the server's lifecycle wins and the
   * Status line is written back to what the server knows.
   */
  statusFromText?: boolean;
}

export interface SaveResult {
  record: DocumentRecord;
  findings: FindingRecord[];
  /** Things the server changed or wants the author to know. */
  notices: string[];
}

/**
 * Saves a new immutable revision on top of `baseRevision`. A stale base is refused with
 * DD_E_CONFLICT (details.currentRevision) and nothing is written; two writers on one base get
 * exactly one success.
 */
export async function saveRevision(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  input: SaveRevisionInput,
): Promise<SaveResult> {
  let record = await requireDocument(ctx, slug);
  if (input.unconditional || input.baseRevision !== record.currentRevision) {
    // The cached record may trail a write made elsewhere; only the database may refuse a base.
    record = (await ctx.db.getDocumentBySlug(slug)) ?? record;
  }
  if (record.archivedAt !== null) throw archivedError(slug);
  checkText(ctx, input.markdown);
  const unconditional = input.unconditional === true;
  if (!unconditional && input.baseRevision !== record.currentRevision)
    throw staleError(record, input.baseRevision);
  const notices: string[] = [];
  let text = input.markdown;
  if (text.trim() === '' && !input.allowEmpty) {
    const current = await readRevisionText(ctx, record);
    if (current.trim() !== '') {
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `The save would replace the document with an empty text; ${input.allowEmptyHint ?? 'send allowEmpty: true'} to do that on purpose.`,
        {
          location: { field: 'markdown' },
        },
      );
    }
  }
  const analyzeOptions = analyzeOptionsOf(record);
  let analysis: StoredAnalysis & Partial<Pick<Analysis, 'doc'>> = await analyzeOffThread(
    ctx,
    text,
    analyzeOptions,
  );
  const patch: DocumentPatch = {};
  if (!input.statusFromText && record.status !== null && analysis.derived.status !== record.status) {
    // The lifecycle moves only through checked transitions; put the Status line back. The model
    // stays in the worker when the analysis ran there: the edit needs a parse here, and the new
    // text is analysed off this thread again.
    const hadStatus = analysis.derived.statusRaw.trim() !== '';
    text = rewriteStatus(
      analysis.doc ?? parseDocumentText(record, text),
      record.status as Lifecycle,
      record.supersededBy,
    );
    analysis = await analyzeOffThread(ctx, text, analyzeOptions);
    const label = statusLabel(record.status as Lifecycle, record.supersededBy);
    notices.push(
      hadStatus
        ? `The Status line was set back to "${label}": status changes go through transitions.`
        : `The text had no Status line; "Status: ${label}" was added: status changes go through transitions.`,
    );
  }
  // Slots with verdicts are the reviews service's record: a text that lost or changed their lines
  // (an old copy saved with If-Match: *, or a hand edit) gets them back, as the Status line does.
  const verdicts = await ctx.db.listVerdicts(record.id);
  if (verdicts.length > 0) {
    const recorded = await recordedApprovalLines(ctx, verdicts);
    // As for the Status line: a parse for the check, and only a rewritten text analysed again.
    const kept = rewriteApprovals(analysis.doc ?? parseDocumentText(record, text), recorded);
    if (kept.changed.length > 0) {
      text = kept.text;
      analysis = await analyzeOffThread(ctx, text, analyzeOptions);
      notices.push(
        `The Approvals entries of ${kept.changed.join(', ')} were set back to the recorded verdicts: approvals are given through reviews.`,
      );
    }
  }
  // The same text as the current revision writes nothing — unless the analysis of it changed (the
  // templates or the linter did), which a save records: re-saving is how a document is re-linted.
  if (analysis.sha256 === (await ctx.db.getRevisionSha256(record.id, record.currentRevision))) {
    const same = await unchanged(ctx, record, analysis, notices, unconditional);
    if (same) return same;
  }
  const savedAt = nowIso(ctx);
  let base = unconditional ? record.currentRevision : input.baseRevision;
  let landedMeanwhile: number | null = null;
  // The revision and the approvals it makes stale are one transaction, events included.
  const updated = await ctx.db.transaction(async (tx) => {
    if (unconditional) {
      // Whatever is current now, under the document's lock; a status changed meanwhile would be
      // undone by this text's Status line, checked against the status before.
      const locked = await tx.lockDocument(record.id);
      if (!locked) throw documentNotFound(slug);
      if (locked.currentRevision !== base) {
        if (locked.status !== record.status) {
          const now =
            locked.status === null
              ? locked.statusRaw
              : statusLabel(locked.status as Lifecycle, locked.supersededBy);
          throw new DesignDocError(
            'DD_E_CONFLICT',
            `Document "${slug}" moved to status "${now}" while this save was made: reload and save again.`,
            {
              location: { field: 'If-Match' },
              details: { currentRevision: locked.currentRevision, baseRevision: base, stale: true },
            },
          );
        }
        // A verdict recorded meanwhile wrote lines this text was not checked against.
        const now = await tx.listVerdicts(record.id);
        if (now.length !== verdicts.length || now.at(-1)?.id !== verdicts.at(-1)?.id) {
          throw new DesignDocError(
            'DD_E_CONFLICT',
            `A verdict on document "${slug}" was recorded while this save was made: reload and save again.`,
            {
              location: { field: 'If-Match' },
              details: { currentRevision: locked.currentRevision, baseRevision: base, stale: true },
            },
          );
        }
        // The same text landed meanwhile (a retried save): nothing more to write.
        if ((await tx.getRevisionSha256(record.id, locked.currentRevision)) === analysis.sha256) {
          landedMeanwhile = locked.currentRevision;
          return null;
        }
        base = locked.currentRevision;
      }
    }
    const saved = await tx.appendRevision(
      record.id,
      base,
      analysis.derived,
      payloadOf(analysis, text, actor, input.message ?? '', savedAt),
      patch,
    );
    if (saved) {
      await tx.appendEvents(
        await staleApprovalEvents(
          ctx,
          tx,
          saved,
          base,
          analysis.sectionHashes,
          actor.user?.username ?? null,
          savedAt,
        ),
      );
      // In the same transaction: no revision without its audit entry.
      await recordAudit(
        ctx,
        actor,
        'document.revise',
        `document:${slug}`,
        { revision: saved.currentRevision, base, ...(unconditional ? { unconditional } : {}) },
        tx,
      );
    }
    return saved;
  });
  if (landedMeanwhile !== null) {
    // From the database: the save that landed may have been another instance's, and this cache
    // may still hold the record before it.
    await invalidate(ctx, record);
    const landed = (await ctx.db.getDocument(record.id)) ?? record;
    notices.push(`Nothing to save: the text is the same as revision ${landedMeanwhile}.`);
    return { record: landed, findings: await listFindings(ctx, landed, landedMeanwhile), notices };
  }
  if (!updated) {
    await invalidate(ctx, record);
    const fresh = await ctx.db.getDocument(record.id);
    // The compare-and-set also refuses an archived document: an archive may have won the race.
    if (fresh?.archivedAt != null) throw archivedError(slug);
    throw staleError(fresh ?? record, base);
  }
  await invalidate(ctx, updated);
  return { record: updated, findings: analysis.findings, notices };
}

/** A finding as a comparable line: what it says and where. */
const findingKey = (f: FindingRecord) =>
  `${f.ruleId}\u0000${f.severity}\u0000${f.line}:${f.column}-${f.endLine}:${f.endColumn}\u0000${f.message}`;

/**
 * The answer to a save of the text `cached` already has, when its stored analysis still holds:
 * nothing is written, and the caller is told. Null when the analysis differs, so the save goes on.
 */
async function unchanged(
  ctx: ServiceContext,
  cached: DocumentRecord,
  analysis: StoredAnalysis,
  notices: string[],
  unconditional: boolean,
): Promise<SaveResult | null> {
  // The cached record may trail a write from another process: the answer is the database's.
  const record = (await ctx.db.getDocument(cached.id)) ?? cached;
  if (record.archivedAt !== null) throw archivedError(record.slug);
  if (record.currentRevision !== cached.currentRevision) {
    // An unconditional save goes on over the newer revision (its text is not this one).
    if (unconditional) return null;
    throw staleError(record, cached.currentRevision);
  }
  const stored = await listFindings(ctx, record);
  const same =
    stored.length === analysis.findings.length &&
    stored.every((finding, i) => findingKey(finding) === findingKey(analysis.findings[i] as FindingRecord)) &&
    record.score === analysis.derived.score &&
    record.template === analysis.derived.template;
  if (!same) return null;
  notices.push(`Nothing to save: the text is the same as revision ${record.currentRevision}.`);
  return { record, findings: stored, notices };
}

function archivedError(slug: string): DesignDocError {
  return new DesignDocError('DD_E_CONFLICT', `Document "${slug}" is archived; restore it before editing.`, {
    details: { archived: true },
  });
}

function staleError(record: DocumentRecord, base: number): DesignDocError {
  return new DesignDocError(
    'DD_E_CONFLICT',
    `Document "${record.slug}" is at revision ${record.currentRevision}, not ${base}: reload, merge your change and save again.`,
    { details: { currentRevision: record.currentRevision, baseRevision: base, stale: true } },
  );
}

/**
 * Writes a server-made revision (status, approvals) on top of `record`, the document as locked by
 * the caller's `withDocumentLock`: the check that led to the edit and the edit commit together,
 * and no save can land in between (it waits for the lock, then finds its base revision gone).
 */
export async function writeServerRevision(
  tx: ServiceContext,
  actor: Actor,
  record: DocumentRecord,
  edit: (doc: DesignDocument, record: DocumentRecord) => string,
  message: string,
  patch: DocumentPatch = {},
): Promise<DocumentRecord> {
  const current = await readRevisionText(tx, record);
  // The edit needs the model's ranges, not a lint: a parse here, and the one analysis of the new
  // text on the analysis thread, so a large document does not hold the request thread.
  const text = edit(parseDocumentText(record, current), record);
  const analysis = await analyzeOffThread(tx, text, analyzeOptionsOf(record));
  const derived = { ...analysis.derived };
  if (patch.status !== undefined) derived.status = patch.status;
  if (patch.supersededBy !== undefined) derived.supersededBy = patch.supersededBy;
  const updated = await tx.db.appendRevision(
    record.id,
    record.currentRevision,
    derived,
    payloadOf(analysis, text, actor, message, nowIso(tx)),
    patch,
  );
  await invalidate(tx, record);
  // Only a caller that does not hold the lock (or an archived document) gets here.
  if (!updated) throw new DesignDocError('DD_E_CONFLICT', `Document "${record.slug}" changed; try again.`);
  return updated;
}

// ---- reads ------------------------------------------------------------------------------------

export async function listFindings(
  ctx: ServiceContext,
  record: DocumentRecord,
  revision?: number,
): Promise<FindingRecord[]> {
  return ctx.db.listFindings(record.id, revision ?? record.currentRevision);
}

export async function listRevisions(ctx: ServiceContext, record: DocumentRecord) {
  const rows = await ctx.db.listRevisions(record.id);
  return Promise.all(
    rows.map(async (r) => ({
      revision: r.number,
      sha256: r.sha256,
      author: await usernameOf(ctx, r.authorId),
      message: r.message,
      createdAt: r.createdAt,
    })),
  );
}

export interface DocumentListQuery {
  status?: string;
  type?: string;
  template?: string;
  author?: string;
  label?: string;
  reviewer?: string;
  archived?: 'exclude' | 'include' | 'only';
  cursor?: string;
  limit?: number;
}

/** Documents the caller may see, filtered, newest change first, a page at a time. */
export async function listDocuments(
  ctx: ServiceContext,
  actor: Actor,
  query: DocumentListQuery,
): Promise<Page<DocumentRecord>> {
  if (query.status !== undefined && !(LIFECYCLE as readonly string[]).includes(query.status)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `Unknown status "${query.status}"; expected one of ${LIFECYCLE.join(', ')}.`,
      { location: { field: 'status' } },
    );
  }
  const userId = async (name: string | undefined, field: string): Promise<number | undefined> => {
    if (name === undefined) return undefined;
    const user = await ctx.db.getUserByName(name.toLowerCase());
    if (!user)
      throw new DesignDocError('DD_E_VALIDATION', `No user is named "${name}".`, { location: { field } });
    return user.id;
  };
  const authorId = await userId(query.author, 'author');
  const reviewerId = await userId(query.reviewer, 'reviewer');
  return ctx.db.listDocuments(
    {
      visibility: visibilityOf(actor),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.type !== undefined ? { type: query.type } : {}),
      ...(query.template !== undefined ? { template: query.template } : {}),
      ...(authorId !== undefined ? { authorId } : {}),
      ...(query.label !== undefined ? { label: query.label.toLowerCase() } : {}),
      ...(reviewerId !== undefined ? { reviewerId } : {}),
      ...(query.archived !== undefined ? { archived: query.archived } : {}),
    },
    query.cursor ?? null,
    Math.min(Math.max(query.limit ?? 50, 1), 200),
  );
}

export interface StructuredQuery {
  kind?: ExtractRecord['kind'];
  section?: string;
  label?: string;
  contains?: string;
  checked?: boolean;
  limit?: number;
}

/**
 * A structured query over fields extracted from current revisions: "documents whose Data Layer
 * mentions Redis" is `{ label: 'Data Layer', contains: 'redis' }`, "unresolved open questions" is
 * `{ kind: 'question', checked: false }`.
 */
export async function queryDocuments(
  ctx: ServiceContext,
  actor: Actor,
  query: StructuredQuery,
): Promise<ExtractHit[]> {
  if (
    query.section === undefined &&
    query.label === undefined &&
    query.contains === undefined &&
    query.kind === undefined &&
    query.checked === undefined
  ) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      'A query needs at least one of kind, section, label, contains or checked.',
      { location: { field: 'query' } },
    );
  }
  return ctx.db.queryExtracts({
    visibility: visibilityOf(actor),
    limit: Math.min(Math.max(query.limit ?? 100, 1), 500),
    ...(query.kind !== undefined ? { kind: query.kind } : {}),
    ...(query.section !== undefined ? { section: query.section } : {}),
    ...(query.label !== undefined ? { label: query.label } : {}),
    ...(query.contains !== undefined ? { contains: query.contains } : {}),
    ...(query.checked !== undefined ? { checked: query.checked } : {}),
  });
}

/** Open questions across every document the caller may see, oldest document first, with age in days. */
export async function listOpenQuestions(ctx: ServiceContext, actor: Actor) {
  const hits = await queryDocuments(ctx, actor, { kind: 'question', checked: false, limit: 500 });
  const now = ctx.now().getTime();
  // Unticked questions with text whose Status does not say they are settled (what the approve
  // transition counts, plus plain bullets under Open Questions, which cannot be ticked).
  return hits
    .filter((h) => !isBlankValue(h.value) && !isSettledStatus(h.label))
    .map((h) => ({
      document: h.slug,
      title: h.title,
      status: h.status,
      question: h.value,
      questionStatus: h.label,
      line: h.line,
      ageDays: Math.max(0, Math.floor((now - Date.parse(h.updatedAt)) / 86_400_000)),
    }));
}

/**
 * Shortest prefix a search may ask for. A one-letter prefix (`c*`) stands for thousands of
 * words: about a second of the server's time at 100,000 documents on either database, for a
 * result no one can use. Two letters and more are indexed (see the SQLite migration 0009).
 */
const MIN_PREFIX_LETTERS = 2;
/** Full-text search over what the caller may see; a malformed query is DD_E_SEARCH_SYNTAX. */
export async function searchDocuments(
  ctx: ServiceContext,
  actor: Actor,
  q: string,
  limit = 20,
): Promise<SearchHit[]> {
  const query = q.trim();
  if (query === '')
    throw new DesignDocError('DD_E_SEARCH_SYNTAX', 'The search query is empty.', {
      location: { field: 'q' },
    });
  if (query.length > 256)
    throw new DesignDocError('DD_E_SEARCH_SYNTAX', 'The search query is longer than 256 characters.', {
      location: { field: 'q' },
    });
  const short = searchPrefixes(query).find((prefix) => [...prefix].length < MIN_PREFIX_LETTERS);
  if (short !== undefined)
    throw new DesignDocError(
      'DD_E_SEARCH_SYNTAX',
      `The prefix "${short}*" is too short: give at least ${MIN_PREFIX_LETTERS} letters or digits before "*".`,
      { location: { field: 'q' } },
    );
  return ctx.db.search(query, { visibility: visibilityOf(actor), limit: Math.min(Math.max(limit, 1), 100) });
}

// ---- diff -------------------------------------------------------------------------------------

export interface RevisionDiff {
  from: number;
  to: number;
  /** Unified diff of the two texts. */
  patch: string;
  lines: { added: number; removed: number };
  /** `section`: the stable key approvals go stale by; `title`: the headings as written. */
  sections: Array<{ section: string; title: string; change: 'added' | 'removed' | 'changed' }>;
}

/** Line and section level differences between two revisions of one document. */
export async function diffRevisions(
  ctx: ServiceContext,
  record: DocumentRecord,
  from: number,
  to: number,
): Promise<RevisionDiff> {
  const [a, b] = await Promise.all([requireRevision(ctx, record, from), requireRevision(ctx, record, to)]);
  let added = 0;
  let removed = 0;
  for (const part of diffLines(a.text, b.text)) {
    if (part.added) added += part.count ?? 0;
    if (part.removed) removed += part.count ?? 0;
  }
  const sections: RevisionDiff['sections'] = [];
  // The stored keys are normalised (`performance and scalability/performance targets`); a reader
  // wants the headings as the author wrote them, from the revision that has the section.
  let titles: [Record<string, string>, Record<string, string>] | null = null;
  const titleOf = (key: string, side: 0 | 1): string => {
    titles ??= [
      sectionTitles(parseDocumentText(record, a.text)),
      sectionTitles(parseDocumentText(record, b.text)),
    ];
    return titles[side][key] ?? key;
  };
  for (const [key, hash] of Object.entries(b.sectionHashes)) {
    // Own-text hashes serve approval coverage; the section itself is listed by its whole hash.
    if (key.endsWith(OWN_TEXT)) continue;
    const before = a.sectionHashes[key];
    if (before === undefined) sections.push({ section: key, title: titleOf(key, 1), change: 'added' });
    else if (before !== hash) sections.push({ section: key, title: titleOf(key, 1), change: 'changed' });
  }
  for (const key of Object.keys(a.sectionHashes)) {
    if (!key.endsWith(OWN_TEXT) && !(key in b.sectionHashes))
      sections.push({ section: key, title: titleOf(key, 0), change: 'removed' });
  }
  return {
    from,
    to,
    patch: createTwoFilesPatch(`${record.slug}@${from}`, `${record.slug}@${to}`, a.text, b.text, '', '', {
      context: 3,
    }),
    lines: { added, removed },
    sections,
  };
}

// ---- archive, labels ----------------------------------------------------------------------------

/** Soft delete: hidden from lists and search, kept with every revision, restorable. */
export async function archiveDocument(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
): Promise<DocumentRecord> {
  return withDocumentLock(ctx, await requireDocument(ctx, slug), async (tx, record) => {
    if (record.archivedAt !== null) return record;
    const updated = await tx.db.updateDocument(record.id, { archivedAt: nowIso(tx) }, nowIso(tx));
    await invalidate(tx, updated);
    await recordAudit(tx, actor, 'document.archive', `document:${slug}`);
    return updated;
  });
}

export async function restoreDocument(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
): Promise<DocumentRecord> {
  return withDocumentLock(ctx, await requireDocument(ctx, slug), async (tx, record) => {
    if (record.archivedAt === null) return record;
    const updated = await tx.db.updateDocument(record.id, { archivedAt: null }, nowIso(tx));
    await invalidate(tx, updated);
    await recordAudit(tx, actor, 'document.restore', `document:${slug}`);
    return updated;
  });
}

export async function setLabels(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  labels: string[],
): Promise<DocumentRecord> {
  const record = await requireDocument(ctx, slug);
  const updated = await ctx.db.updateDocument(record.id, { labels: normalizeLabels(labels) }, nowIso(ctx));
  await invalidate(ctx, updated);
  await recordAudit(ctx, actor, 'document.labels', `document:${slug}`, { labels: updated.labels });
  return updated;
}

// ---- links, graph -----------------------------------------------------------------------------

export async function linkDocuments(
  ctx: ServiceContext,
  actor: Actor,
  fromSlug: string,
  toSlug: string,
  kind: string,
): Promise<void> {
  if (!(LINK_KINDS as readonly string[]).includes(kind)) {
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `Unknown link kind "${kind}"; expected one of ${LINK_KINDS.join(', ')}.`,
      { location: { field: 'kind' } },
    );
  }
  const from = await requireDocument(ctx, fromSlug);
  const to = await requireVisibleDocument(ctx, actor, toSlug, 'to');
  if (from.id === to.id)
    throw new DesignDocError('DD_E_VALIDATION', 'A document cannot link to itself.', {
      location: { field: 'to' },
    });
  await ctx.db.addLink({ fromId: from.id, toId: to.id, kind: kind as LinkKind, createdAt: nowIso(ctx) });
  await recordAudit(ctx, actor, 'document.link', `document:${fromSlug}`, { to: toSlug, kind });
}

export async function unlinkDocuments(
  ctx: ServiceContext,
  actor: Actor,
  fromSlug: string,
  toSlug: string,
  kind: string,
): Promise<void> {
  const from = await requireDocument(ctx, fromSlug);
  const to = await requireDocument(ctx, toSlug);
  await ctx.db.removeLink(from.id, to.id, kind as LinkKind);
  await recordAudit(ctx, actor, 'document.unlink', `document:${fromSlug}`, { to: toSlug, kind });
}

/** A document another one names (link target, successor), checked against the caller's visibility. */
export async function requireVisibleDocument(
  ctx: ServiceContext,
  actor: Actor,
  slug: string,
  field: string,
): Promise<DocumentRecord> {
  const record = await findDocument(ctx, slug);
  const visible = record && (await isVisible(ctx, actor, record));
  if (!record || !visible)
    throw new DesignDocError('DD_E_VALIDATION', `No document has the id "${slug}".`, { location: { field } });
  return record;
}

/** Same rule as the policy's: admins, non-drafts, or the author and named reviewers of a draft. */
export async function isVisible(ctx: ServiceContext, actor: Actor, record: DocumentRecord): Promise<boolean> {
  if (actorRole(actor) === 'admin' || record.status !== 'draft') return true;
  if (!actor.user) return false;
  if (record.authorId === actor.user.id) return true;
  return isNamedReviewer(ctx, actor, record);
}

export async function isNamedReviewer(
  ctx: ServiceContext,
  actor: Actor,
  record: DocumentRecord,
): Promise<boolean> {
  if (!actor.user) return false;
  const requests = await ctx.db.listReviewRequests(record.id);
  if (requests.length === 0) return false;
  const groups = new Set((await ctx.db.listUserGroups(actor.user.id)).map((g) => g.id));
  return requests.some((r) => r.userId === actor.user?.id || (r.groupId !== null && groups.has(r.groupId)));
}

export interface Graph {
  nodes: Array<{ id: string; title: string; status: string | null }>;
  edges: Array<{ from: string; to: string; kind: LinkKind }>;
}

/** Links between visible documents: around one document (depth 1) or across all of them. */
export async function documentGraph(ctx: ServiceContext, actor: Actor, slug: string | null): Promise<Graph> {
  const center = slug === null ? null : await requireDocument(ctx, slug);
  const links = await ctx.db.listLinks(center ? [center.id] : undefined);
  const ids = new Set<number>(center ? [center.id] : []);
  for (const link of links) {
    ids.add(link.fromId);
    ids.add(link.toId);
  }
  const nodes = new Map<number, DocumentRecord>();
  for (const id of ids) {
    const record = await ctx.db.getDocument(id);
    if (record && record.archivedAt === null && (await isVisible(ctx, actor, record))) nodes.set(id, record);
  }
  return {
    nodes: [...nodes.values()].map((r) => ({ id: r.slug, title: r.title, status: r.status })),
    edges: links
      .filter((l) => nodes.has(l.fromId) && nodes.has(l.toId))
      .map((l) => ({
        from: (nodes.get(l.fromId) as DocumentRecord).slug,
        to: (nodes.get(l.toId) as DocumentRecord).slug,
        kind: l.kind,
      })),
  };
}

// ---- export -----------------------------------------------------------------------------------

export interface ExportEntry {
  id: string;
  path: string;
  title: string;
  status: string | null;
  template: string | null;
  revision: number;
  sha256: string;
  markdown?: string;
}

/** Every document the caller may see (archived ones aside), with its current markdown when asked. */
export async function exportDocuments(
  ctx: ServiceContext,
  actor: Actor,
  options: { withMarkdown: boolean },
): Promise<ExportEntry[]> {
  const out: ExportEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<DocumentRecord> = await ctx.db.listDocuments(
      // Oldest first: a save during the export moves a document to the top of the recent order,
      // past the pages already read, and the export would miss it.
      { visibility: visibilityOf(actor), order: 'created' },
      cursor,
      200,
    );
    for (const record of page.items) {
      const revision = await requireRevision(ctx, record, record.currentRevision);
      out.push({
        id: record.slug,
        path: record.path ?? `${record.slug}.md`,
        title: record.title,
        status: record.status,
        template: record.template || null,
        revision: record.currentRevision,
        sha256: revision.sha256,
        ...(options.withMarkdown ? { markdown: revision.text } : {}),
      });
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  out.sort((a, b) => a.path.localeCompare(b.path));
  return out;
}
