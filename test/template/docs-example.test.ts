/**
 * docs/templates.md shows a team template and the schema it compiles to. This test compiles the
 * doc's markdown example and checks it against the doc's JSON block, so the page cannot drift
 * from what the compiler does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/core/template/compile-template.js';
import { newDocument } from '../../src/core/template/new-document.js';
import { lint } from '../../src/core/lint/index.js';
import { parse } from '../../src/core/parse/index.js';
import { detectTemplate } from '../../src/core/template/detect-template.js';
import { repoRoot } from '../support/corpus.js';
import { BUILTINS, builtinSchema } from './support.js';

const page = readFileSync(join(repoRoot, 'docs/templates.md'), 'utf8');

/** The body of the first fenced block with this info string under the `## Example` heading. */
function exampleBlock(info: string): string {
  const example = page.slice(page.indexOf('\n## Example\n'));
  const match = new RegExp(`\\n\`\`\`${info}\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(example);
  if (!match) throw new Error(`docs/templates.md has no \`\`\`${info} block under ## Example`);
  return `${match[1]}\n`;
}

describe('docs/templates.md example', () => {
  const schema = compileTemplate('incident-review', exampleBlock('markdown'));

  it('compiles to the schema the page shows', () => {
    expect(schema).toMatchObject(JSON.parse(exampleBlock('json')) as Record<string, unknown>);
  });

  it('makes documents that are detected as the example template among the built-ins', () => {
    const text = newDocument(schema, { title: 'Checkout outage on 3 November', date: '2026-11-04' });
    const schemas = [...BUILTINS.map(builtinSchema), schema];
    expect(detectTemplate(parse(text, { fileName: 'incident.md' }), schemas)?.name).toBe('incident-review');
  });

  it('makes documents that lint with only "empty"-family findings', () => {
    const text = newDocument(schema, { title: 'Checkout outage on 3 November', date: '2026-11-04' });
    const { findings } = lint(parse(text, { fileName: 'incident.md' }), { schema });
    const family = new Set(['empty-section', 'empty-field', 'empty-metadata', 'empty-link']);
    expect(findings.filter((finding) => !family.has(finding.rule)).map((finding) => finding.message)).toEqual(
      [],
    );
    expect(
      findings.some((finding) => finding.rule === 'empty-metadata' && finding.message.includes('Severity')),
    ).toBe(true);
  });
});
