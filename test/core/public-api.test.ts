// The package's exported surface is a contract: this test makes every change to it deliberate.
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.js';

describe('designdoc public API', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(core).sort()).toEqual(
      [
        'BUILTIN_RULES',
        'DesignDocError',
        'ERROR_CODES',
        'LIFECYCLE',
        'RuleRegistry',
        'STATUS_WORDS',
        'applyEdits',
        'applyFixes',
        'approvalSlotEdits',
        'builtinRegistry',
        'classifySection',
        'compileTemplate',
        'createStatusNormalizer',
        'defaultConfig',
        'detectTemplate',
        'findTemplate',
        'formatApprovalEntry',
        'isDesignDocError',
        'lint',
        'newDocument',
        'normalizeHeading',
        'normalizeStatus',
        'parse',
        'parseApprovalEntry',
        'render',
        'renderPage',
        'scanBlocks',
        'serialize',
        'statusEdits',
        'validateConfig',
      ].sort(),
    );
  });

  it('parses, lints and renders through the entry alone', () => {
    const doc = core.parse('# Title\n\nStatus: Draft\n\n## Summary\n\nText.\n', { fileName: 'x.md' });
    expect(doc.title?.text).toBe('Title');
    expect(doc.status?.lifecycle).toBe('draft');
    expect(core.serialize(doc)).toBe('# Title\n\nStatus: Draft\n\n## Summary\n\nText.\n');
    expect(Array.isArray(core.lint(doc).findings)).toBe(true);
    expect(core.render(doc)).toContain('<h2');
  });
});
