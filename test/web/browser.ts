/// <reference lib="dom" />
/**
 * Browser test support: Debian's Chromium driven by playwright-core (never a downloaded browser),
 * a real designdoc server listening on an ephemeral port over a temporary data folder, axe-core
 * checks, and screenshots saved as artifacts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../support/corpus.js';

export const CHROMIUM = process.env.DESIGNDOC_CHROMIUM ?? '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'test-artifacts', 'screenshots');

/** True when the browser suites can run; under CI a missing browser or build is a failure. */
export function requireBrowser(suite: string): boolean {
  const missing = !existsSync(CHROMIUM)
    ? `Chromium is not at ${CHROMIUM}`
    : !existsSync(join(repoRoot, 'web', 'dist', 'index.html'))
      ? 'web/dist is not built (npm run build)'
      : null;
  if (missing === null) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: ${missing} (required with CI=true)`);
  console.warn(`SKIPPED ${suite}: ${missing}`);
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export interface WebServer {
  url: string;
  admin: { username: string; password: string };
  dataDir: string;
  close(): Promise<void>;
}

interface ServerModule {
  startServer(config: Record<string, unknown>): Promise<{
    url: string;
    initialAdmin: { username: string; password: string } | null;
    close(): Promise<void>;
  }>;
  defaultServerConfig(cwd: string): Record<string, unknown>;
}

/** Starts the built server (dist/) with the built web UI on an ephemeral port. */
export async function startWebServer(options: { loadExamples?: boolean } = {}): Promise<WebServer> {
  const mod = (await import(join(repoRoot, 'dist', 'server', 'index.js'))) as ServerModule;
  const dataDir = mkdtempSync(join(tmpdir(), 'designdoc-web-'));
  const config = {
    ...mod.defaultServerConfig(dataDir),
    dataDir,
    port: 0,
    logLevel: 'silent',
    loadExamples: options.loadExamples ?? false,
    webDist: join(repoRoot, 'web', 'dist'),
  };
  const server = await mod.startServer(config);
  if (!server.initialAdmin) throw new Error('the server did not create its first admin');
  return {
    url: server.url,
    admin: server.initialAdmin,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON API call as a signed-in user would make it (token or session), for test setup only. */
export async function apiCall<T>(
  server: WebServer,
  method: string,
  path: string,
  body?: unknown,
  auth?: { token?: string },
): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** An admin API token for setting up users and groups quickly. */
export async function adminToken(server: WebServer): Promise<string> {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.admin),
  });
  if (!login.ok) throw new Error(`admin sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const created = await fetch(`${server.url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'e2e setup', scopes: ['read', 'write', 'admin'] }),
  });
  if (!created.ok) throw new Error(`token creation failed: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { token: string }).token;
}

export async function signIn(
  page: Page,
  server: WebServer,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core in the page (through the debugger protocol, so the page's CSP still holds). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
}
