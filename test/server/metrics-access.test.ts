/**
 * `/metrics` is public by default (Prometheus scrapes a port kept off the internet); with
 * `metricsPublic: false` it asks for a signed-in caller or a read token, and says so.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './dialects.js';
import { api, startTestServer, type TestServer } from './harness.js';

describeEachDialect('metrics access', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(dialect, [{ username: 'scraper', role: 'viewer', scopes: ['read'] }], {
      metricsPublic: false,
    });
  });
  afterAll(async () => t?.stop());

  it('refuses an anonymous scrape and serves one with a read token', async () => {
    const anonymous = await api(t.base, 'GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect(anonymous.text).not.toContain('designdoc_documents');
    const scraped = await api(t.base, 'GET', '/metrics', { token: t.tokens.scraper });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toMatch(/^designdoc_database_seconds_total \S+$/m);
    // Health and readiness stay open: load balancers do not sign in.
    expect((await api(t.base, 'GET', '/healthz')).status).toBe(200);
    expect((await api(t.base, 'GET', '/readyz')).status).toBe(200);
  });
});
