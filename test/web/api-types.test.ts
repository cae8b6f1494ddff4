// The web client is typed from the server's OpenAPI document: the committed types must match what
// the gateway serves now, or the UI could call routes the server no longer has.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

describe('web API client types', () => {
  it('match the OpenAPI document the server serves (npm run api:types regenerates them)', () => {
    const out = execFileSync(
      process.execPath,
      [join(repoRoot, 'web', 'scripts', 'generate-api-types.mjs'), '--check'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(out).toContain('matches');
  }, 60_000);
});
