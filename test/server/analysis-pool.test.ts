// Save-time analysis on worker threads must store exactly what inline analysis stores: the same
// derived fields, findings, extracts, section hashes and search text, for every kind of document.
// The pool exists only in the built package (dist/), so this test runs the built modules.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDesignDocument } from '../../bench/shared/design-document-generator.js';
import { ensureBuilt } from '../cli/run-cli.js';
import { repoRoot } from '../support/corpus.js';

type Pool = {
  analyze(text: string, options: object): Promise<Record<string, unknown>>;
  render(text: string, fileName: string | null): Promise<string>;
  close(): Promise<void>;
};
let pool: Pool;
let inline: (text: string, options: object) => Record<string, unknown>;
let renderInline: (text: string, fileName: string | null) => string;
let createPool: (options: object) => Pool | null;
/** A module of the build (these tests run the built package: the pool needs its worker script). */
const dist = (path: string) => pathToFileURL(join(repoRoot, 'dist', path)).href;

beforeAll(async () => {
  ensureBuilt();
  const { createAnalysisPool } = (await import(dist('server/services/analysis-pool.js'))) as {
    createAnalysisPool(options: object): Pool | null;
  };
  const { analyzeText } = (await import(dist('server/services/document-analysis.js'))) as {
    analyzeText(ctx: object, text: string, options: object): Record<string, unknown>;
  };
  const { loadTemplates } = (await import(dist('node/templates.js'))) as {
    loadTemplates(options: object): Promise<Array<{ name: string }>>;
  };
  ({ renderDocumentText: renderInline } = (await import(dist('server/services/render-text.js'))) as {
    renderDocumentText(text: string, fileName: string | null): string;
  });
  const schemas = await loadTemplates({ templatesDir: null });
  createPool = (options) => createAnalysisPool({ templates: schemas, ...options });
  const made = createPool({ size: 2 });
  if (!made) throw new Error('the built package has no analysis worker');
  pool = made;
  const ctx = { templates: new Map(schemas.map((schema) => [schema.name, schema])) };
  inline = (text, options) => {
    const { doc: _doc, schema: _schema, ...stored } = analyzeText(ctx, text, options);
    return stored;
  };
}, 240_000);

afterAll(async () => {
  await pool?.close();
});

describe('analysis pool', () => {
  const texts: Array<[string, string]> = [
    ['the filled example', readFileSync(join(repoRoot, 'examples/payments-service.md'), 'utf8')],
    ['the blank template', readFileSync(join(repoRoot, 'templates/design-document.md'), 'utf8')],
    ['an empty text', ''],
    ['a decision record', '# ADR 7: Use Redis\n\n## Status\n\nAccepted\n\n## Context\n\nCaching.\n'],
    ...Array.from({ length: 12 }, (_, i): [string, string] => [
      `generated ${i}`,
      generateDesignDocument(5, i),
    ]),
  ];

  it('stores what inline analysis stores, for every kind of document, concurrently', async () => {
    const options = { fileName: 'doc.md', templateName: null, fallbackTitle: 'Untitled' };
    const results = await Promise.all(texts.map(([, text]) => pool.analyze(text, options)));
    texts.forEach(([name, text], i) => expect(results[i], name).toEqual(inline(text, options)));
  });

  it('renders what the request thread renders', async () => {
    const htmls = await Promise.all(texts.map(([, text]) => pool.render(text, 'doc.md')));
    texts.forEach(([name, text], i) => expect(htmls[i], name).toBe(renderInline(text, 'doc.md')));
    expect(htmls[0]).toContain('<h1');
  });

  it('renders the largest document a server accepts (a 2 MiB table) on its thread, with no error', async () => {
    const errors: Error[] = [];
    const one = createPool({ size: 1, onWorkerError: (error: Error) => errors.push(error) });
    if (!one) throw new Error('the built package has no analysis worker');
    try {
      // Four columns of inline markup per row: at 128 MiB (the first cap) this ran the worker out
      // of memory and the render fell back to the request thread.
      const rows: string[] = [];
      for (let i = 0, size = 100; size < 2 * 1024 * 1024 - 200; i++) {
        const row = `| r${i} | **bold ${i}** | \`code${i}\` | [l](https://x.example/${i}) |\n`;
        rows.push(row);
        size += row.length;
      }
      const table = `# Big\n\n| a | b | c | d |\n|---|---|---|---|\n${rows.join('')}`;
      const html = await one.render(table, null);
      expect(html).toBe(renderInline(table, null));
      expect(errors).toEqual([]);
    } finally {
      await one.close();
    }
  }, 120_000);

  it('rejects what a dying worker held and replaces the worker', async () => {
    // A worker whose heap is too small for a document dies of it (as a real one does on a
    // document past its 128 MB heap); the pool rejects that request, for the caller to do inline,
    // and starts a new worker that serves the next one.
    const errors: Error[] = [];
    const small = createPool({ size: 1, heapMb: 16, onWorkerError: (error: Error) => errors.push(error) });
    if (!small) throw new Error('the built package has no analysis worker');
    try {
      const big = `# Big\n\n| a | b |\n|---|---|\n${'| cell | cell |\n'.repeat(300_000)}`;
      await expect(small.render(big, null)).rejects.toThrow(/memory|exited/);
      await expect(small.render(big, null)).rejects.toThrow(/memory|exited/);
      const text = texts[0]?.[1] ?? '';
      expect(await small.render(text, null)).toBe(renderInline(text, null));
      // Each death is reported, for the server's log.
      expect(errors.map((error) => (error as { code?: string }).code)).toEqual([
        'ERR_WORKER_OUT_OF_MEMORY',
        'ERR_WORKER_OUT_OF_MEMORY',
      ]);
    } finally {
      await small.close();
    }
  }, 120_000);

  it('stops a worker that runs past the time limit, fails that request with DD_E_TOO_COMPLEX and carries on', async () => {
    const errors: Error[] = [];
    // The clock starts when a worker takes a request up, not at its start-up: 1 s is plenty
    // for the small requests, whatever the machine, and far short of the large table's render.
    const strict = createPool({
      size: 1,
      timeoutMs: 1000,
      onWorkerError: (error: Error) => errors.push(error),
    });
    if (!strict) throw new Error('the built package has no analysis worker');
    try {
      const slow = `# Slow\n\n| a | b |\n|---|---|\n${'| cell | cell |\n'.repeat(130_000)}`;
      const small = texts[0]?.[1] ?? '';
      const started = Date.now();
      const failed = strict.render(slow, null);
      // Queued behind it on the same worker: carried over to the new worker, not failed.
      const queued = strict.render(small, null);
      await expect(failed).rejects.toMatchObject({ code: 'DD_E_TOO_COMPLEX' });
      await expect(failed).rejects.toThrow(/^Rendering the document took longer than 1 s; nothing was saved/);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(await queued).toBe(renderInline(small, null));
      expect(errors.map((error) => error.message)).toEqual([
        'an analysis worker was stopped after 1 s on one request',
      ]);
      // The new worker serves what comes next, analyses included.
      expect(await strict.render(small, null)).toBe(renderInline(small, null));
      const options = { fileName: 'a.md', templateName: null, fallbackTitle: 'A' };
      expect(await strict.analyze(small, options)).toEqual(inline(small, options));
    } finally {
      await strict.close();
    }
  }, 120_000);

  it('never keeps a process alive that did not close it, and waits for work in flight', () => {
    // A server start that fails after the pool started must still let the CLI exit. Node references
    // a worker again when a 'message' listener is added after unref(); the pool unreferences last,
    // and references a worker only while a request waits on it. Scripts run from files: a worker
    // inherits `--input-type` from an `-e` script, and then cannot import.
    const dir = mkdtempSync(join(tmpdir(), 'designdoc-pool-exit-'));
    const run = (name: string, lines: string[]) => {
      const file = join(dir, name);
      writeFileSync(
        file,
        [
          `const { createAnalysisPool } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'dist/server/services/analysis-pool.js')).href)});`,
          'const pool = createAnalysisPool({ templates: [], size: 1 });',
          'if (!pool) process.exit(3);',
          ...lines,
        ].join('\n'),
      );
      return spawnSync(process.execPath, [file], { timeout: 20_000, encoding: 'utf8' });
    };
    try {
      const idle = run('idle.mjs', []);
      expect(idle.status, idle.stderr).toBe(0);
      const waiting = run('waiting.mjs', ["process.stdout.write(await pool.render('# Title\\n', null));"]);
      expect(waiting.status, waiting.stderr).toBe(0);
      expect(waiting.stdout).toContain('<h1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a pinned template', async () => {
    const options = { fileName: null, templateName: 'rfc', fallbackTitle: 'X' };
    const text = generateDesignDocument(5, 99);
    const stored = await pool.analyze(text, options);
    expect((stored.derived as { template: string }).template).toBe('rfc');
    expect(stored).toEqual(inline(text, options));
  });
});

/** The built server's modules, as these tests use them. */
interface BuiltServer {
  ctx: {
    analysis?: Pool;
    db: {
      getDocumentBySlug(slug: string): Promise<{ id: number; currentRevision: number } | null>;
      listFindings(id: number, revision: number): Promise<unknown[]>;
      getRevision(id: number, revision: number): Promise<{ text: string } | null>;
    };
  };
  close(): Promise<void>;
}
interface BuiltServices {
  systemActor(user?: unknown): unknown;
  createDocument(ctx: object, actor: unknown, input: object): Promise<{ slug: string }>;
  saveRevision(ctx: object, actor: unknown, slug: string, input: object): Promise<{ findings: unknown[] }>;
  createUser(ctx: object, actor: unknown, input: object): Promise<unknown>;
  requestReview(ctx: object, actor: unknown, slug: string, input: object): Promise<unknown>;
  recordVerdict(
    ctx: object,
    actor: unknown,
    slug: string,
    input: object,
  ): Promise<{ currentRevision: number }>;
  transitionStatus(ctx: object, actor: unknown, slug: string, input: object): Promise<{ status: string }>;
}
/** Runs `work` against a built server on a fresh data folder with `threads` analysis threads. */
async function withBuiltServer(
  threads: number,
  work: (running: BuiltServer, services: BuiltServices) => Promise<void>,
): Promise<void> {
  const server = (await import(dist('server/index.js'))) as {
    defaultServerConfig(cwd: string): Record<string, unknown>;
    startServer(config: object): Promise<BuiltServer>;
  };
  const services = (await import(dist('server/services/index.js'))) as BuiltServices;
  const dir = mkdtempSync(join(tmpdir(), 'designdoc-analysis-server-'));
  const running = await server.startServer({
    ...server.defaultServerConfig(dir),
    dataDir: dir,
    port: 0,
    logLevel: 'silent',
    loadExamples: false,
    analysisThreads: threads,
  });
  try {
    await work(running, services);
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a built server with analysis threads', () => {
  it('saves through the pool and stores what a server without it stores', async () => {
    const stored: unknown[][] = [];
    for (const threads of [1, 0])
      await withBuiltServer(threads, async (running, services) => {
        expect(running.ctx.analysis !== undefined).toBe(threads > 0);
        const actor = services.systemActor();
        const created = await services.createDocument(running.ctx, actor, {
          markdown: generateDesignDocument(21, 1),
          id: 'pooled',
        });
        const saved = await services.saveRevision(running.ctx, actor, created.slug, {
          markdown: generateDesignDocument(21, 2),
          baseRevision: 1,
        });
        const record = await running.ctx.db.getDocumentBySlug('pooled');
        expect(record?.currentRevision).toBe(2);
        stored.push([saved.findings, await running.ctx.db.listFindings(record?.id ?? 0, 2)]);
      });
    expect(stored[0]).toEqual(stored[1]);
  }, 120_000);

  it('writes verdicts and transitions (analysed on the pool, inside the document lock) as a server without it does', async () => {
    const outcomes: unknown[] = [];
    for (const threads of [1, 0])
      await withBuiltServer(threads, async (running, services) => {
        const ctx = running.ctx;
        const admin = services.systemActor();
        const made = async (username: string) =>
          services.systemActor(
            await services.createUser(ctx, admin, { username, role: 'member', password: null }),
          );
        const alice = await made('alice');
        const bob = await made('bob');
        await services.createDocument(ctx, alice, {
          markdown: generateDesignDocument(22, 1),
          id: 'reviewed',
        });
        await services.requestReview(ctx, alice, 'reviewed', { slot: 'Technical Review', users: ['bob'] });
        const before = await ctx.db.getDocumentBySlug('reviewed');
        const afterVerdict = await services.recordVerdict(ctx, bob, 'reviewed', {
          slot: 'Technical Review',
          verdict: 'approved',
          revision: before?.currentRevision,
        });
        const back = await services.transitionStatus(ctx, alice, 'reviewed', { to: 'draft' });
        const record = await ctx.db.getDocumentBySlug('reviewed');
        const revision = await ctx.db.getRevision(record?.id ?? 0, record?.currentRevision ?? 0);
        expect(revision?.text).toMatch(/^- bob — approved \d{4}-\d\d-\d\d \(rev \d+\)$/m);
        expect(revision?.text).toMatch(/^Status: Draft$/m);
        outcomes.push({
          revisions: [before?.currentRevision, afterVerdict.currentRevision, record?.currentRevision],
          status: back.status,
          text: revision?.text.replace(/\d{4}-\d\d-\d\d/g, 'DATE'),
          findings: await ctx.db.listFindings(record?.id ?? 0, record?.currentRevision ?? 0),
        });
      });
    expect(outcomes[0]).toEqual(outcomes[1]);
  }, 120_000);

  it('answers a save or a render that runs out of time with DD_E_TOO_COMPLEX, not by doing it on the request thread', async () => {
    const { renderText } = (await import(dist('server/services/render-text.js'))) as {
      renderText(ctx: object, text: string, fileName: string | null): Promise<string>;
    };
    await withBuiltServer(1, async (running, services) => {
      // The server's own pool, with a limit a 1.9 MB table's analysis (a third of a second or
      // more) cannot meet, where a small document's takes milliseconds.
      const strict = createPool({ size: 1, timeoutMs: 100 });
      if (!strict) throw new Error('the built package has no analysis worker');
      await running.ctx.analysis?.close();
      let renders = 0;
      running.ctx.analysis = {
        analyze: (text, options) => strict.analyze(text, options),
        render: (text, fileName) => {
          renders++;
          return strict.render(text, fileName);
        },
        close: () => strict.close(),
      };
      try {
        const actor = services.systemActor();
        const created = await services.createDocument(running.ctx, actor, {
          markdown: '# Timed\n',
          id: 'timed',
        });
        const table = `# Timed\n\n| a | b |\n|---|---|\n${'| cell | cell |\n'.repeat(120_000)}`;
        await expect(
          services.saveRevision(running.ctx, actor, created.slug, { markdown: table, baseRevision: 1 }),
        ).rejects.toMatchObject({ code: 'DD_E_TOO_COMPLEX' });
        expect((await running.ctx.db.getDocumentBySlug('timed'))?.currentRevision).toBe(1);
        await expect(renderText(running.ctx, table, null)).rejects.toMatchObject({
          code: 'DD_E_TOO_COMPLEX',
        });
        // Asked again, the same text is refused at once: no second worker is stopped for it.
        await expect(renderText(running.ctx, table, null)).rejects.toMatchObject({
          code: 'DD_E_TOO_COMPLEX',
        });
        expect(renders).toBe(1);
        // Another text still goes to the pool (whatever its answer: this pool's 0.1 s limit may not
        // even cover a fresh worker loading the renderer).
        await renderText(running.ctx, '# Timed\n\nSmall.\n', null).catch(() => '');
        expect(renders).toBe(2);
        // Small documents go on as before, on the new worker.
        await services.saveRevision(running.ctx, actor, created.slug, {
          markdown: '# Timed\n\nMore.\n',
          baseRevision: 1,
        });
        expect((await running.ctx.db.getDocumentBySlug('timed'))?.currentRevision).toBe(2);
      } finally {
        await strict.close();
      }
    });
  }, 120_000);
});
