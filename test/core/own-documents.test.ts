// designdoc's own design (docs/DESIGN.md) and the shipped example are written in the template and
// must pass designdoc's own linter with zero findings, through the CLI a user would run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/corpus.js';

function lintJson(
  file: string,
): Array<{ file: string; findings: Array<{ ruleId: string; line: number; message: string }> }> {
  const out = execFileSync(
    process.execPath,
    [join(repoRoot, 'bin', 'designdoc.js'), 'lint', file, '--format', 'json'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

describe('our own documents', () => {
  for (const file of ['docs/DESIGN.md', 'examples/payments-service.md']) {
    it(`${file} is lint-clean and detected as a design document`, () => {
      const [report] = lintJson(file);
      expect(report?.findings.map((f) => `${f.line} ${f.ruleId} ${f.message}`)).toEqual([]);
      const listed = JSON.parse(
        execFileSync(
          process.execPath,
          [join(repoRoot, 'bin', 'designdoc.js'), 'list', file.split('/')[0] as string, '--format', 'json'],
          { cwd: repoRoot, encoding: 'utf8' },
        ),
      ) as Array<{ path: string; template: string | null; score: number }>;
      const entry = listed.find((l) => l.path.endsWith(file.split('/')[1] as string));
      expect(entry?.template).toBe('design-document');
      expect(entry?.score).toBe(100);
    });
  }
});
