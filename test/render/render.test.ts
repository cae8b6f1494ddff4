import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesignDocument, Section } from '../../src/core/model.js';
import { parse } from '../../src/core/parse/index.js';
import { PAGE_CSP, render, renderPage } from '../../src/core/render/index.js';
import { corpusDocuments, repoRoot, requireCorpus } from '../support/corpus.js';
import { openingTags, unsafeParts } from './html-inspect.js';
import { hostileDocument, XSS_PAYLOADS } from './xss-corpus.js';

function flatten(sections: readonly Section[]): Section[] {
  return sections.flatMap((section) => [section, ...flatten(section.children)]);
}

/** Ids on rendered headings, in document order. */
function headingIds(html: string): string[] {
  return openingTags(html)
    .filter((tag) => /^h[1-6]$/.test(tag.name) && tag.attrs.id !== undefined)
    .map((tag) => tag.attrs.id as string);
}

function renderText(text: string, fileName = 'doc.md'): string {
  return render(parse(text, { fileName }));
}

describe('render: hostile input', () => {
  for (const [name, payload] of Object.entries(XSS_PAYLOADS)) {
    it(`leaves nothing executable: ${name}`, () => {
      const html = renderText(`# Doc\n\nStatus: Draft\n\n## Section\n\n${payload}\n`);
      expect(unsafeParts(html)).toEqual([]);
    });
  }

  it('leaves nothing executable in one document holding every payload, with a hostile title and metadata', () => {
    const doc = parse(hostileDocument(), { fileName: 'hostile.md' });
    expect(unsafeParts(render(doc))).toEqual([]);
    const page = renderPage(doc);
    const head = page.slice(0, page.indexOf('</head>'));
    // Exactly one <title>, one <style> (ours), and the title text escaped.
    expect(head.match(/<title>/g)).toHaveLength(1);
    expect(head).not.toMatch(/<script/i);
    expect(head).toMatch(/<title>[^<]*<\/title>/);
    expect(unsafeParts(page.slice(page.indexOf('<body>')))).toEqual([]);
  });

  it('keeps a Mermaid fence as escaped source in <pre class="mermaid">', () => {
    const html = renderText('# Doc\n\n```mermaid\ngraph TD\n  A-->B\n</pre><script>x()</script>\n```\n');
    expect(html).toContain(
      '<pre class="mermaid">graph TD\n  A--&gt;B\n&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;\n</pre>',
    );
    expect(render(parse('```mermaid\ngraph TD\n```\n'), { mermaid: 'keep' })).toContain(
      '<pre><code class="language-mermaid">graph TD',
    );
  });

  it('drops style attributes but keeps table alignment as classes', () => {
    const html = renderText('| a | b |\n|:--|--:|\n| 1 | 2 |\n\n<p style="color:red">x</p>\n');
    expect(html).not.toContain('style=');
    expect(html).toContain('<th class="dd-align-left">a</th>');
    expect(html).toContain('<td class="dd-align-right">2</td>');
  });

  it('keeps raster data images and drops SVG data images', () => {
    const html = renderText(
      '![a](data:image/png;base64,iVBORw0KGgo=)\n\n<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="b">\n',
    );
    const images = openingTags(html).filter((tag) => tag.name === 'img');
    expect(images[0]?.attrs.src).toBe('data:image/png;base64,iVBORw0KGgo=');
    expect(images[1]?.attrs.src).toBeUndefined();
  });

  it('marks external links rel="noopener noreferrer nofollow" and leaves anchors alone', () => {
    const links = openingTags(
      renderText('[out](https://example.com/x) [in](#goals) <https://example.org>\n'),
    ).filter((tag) => tag.name === 'a');
    expect(links.map((link) => [link.attrs.href, link.attrs.rel])).toEqual([
      ['https://example.com/x', 'noopener noreferrer nofollow'],
      ['#goals', undefined],
      ['https://example.org', 'noopener noreferrer nofollow'],
    ]);
  });

  it('renders task lists as disabled checkboxes', () => {
    const inputs = openingTags(renderText('- [ ] open question\n- [x] answered\n- plain\n')).filter(
      (tag) => tag.name === 'input',
    );
    expect(inputs).toHaveLength(2);
    expect(inputs.every((input) => input.attrs.type === 'checkbox' && 'disabled' in input.attrs)).toBe(true);
    expect(inputs.map((input) => 'checked' in input.attrs)).toEqual([false, true]);
  });

  it('keeps a raw checkbox read-only and drops every other input, never turning it into a checkbox', () => {
    const html = renderText(
      'Fields: <input name="q"> <input type="text" value="v"> <input type="password"> <input type="CHECKBOX" checked>\n',
    );
    const inputs = openingTags(html).filter((tag) => tag.name === 'input');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.attrs).toMatchObject({ type: 'checkbox', disabled: '', checked: '' });
    expect(html).not.toMatch(/name="q"|value="v"|password/);
  });

  it('drops ids that raw HTML puts on headings (DOM clobbering) and keeps generated ones', () => {
    const html = renderText(
      '# Doc\n\n## Goals\n\n<h2 id="goals">fake</h2>\n\n<h3 id="getElementById">x</h3>\n',
    );
    expect(headingIds(html)).toEqual(['doc', 'goals']);
  });
});

describe('render: header, badge and diagram', () => {
  it('puts a status badge and the metadata at the top, with class names and no inline styles', () => {
    const html = renderText(
      '# Payments\n\nType: Service\nStatus: ✅ Accepted\nVersion: 1.2\n\n## Summary\n\nText.\n',
    );
    expect(
      html.startsWith('<header class="dd-header"><span class="dd-badge dd-status-approved">Approved</span>'),
    ).toBe(true);
    expect(html).toContain('<dt>Type</dt><dd>Service</dd>');
    expect(html).toContain('<dt>Version</dt><dd>1.2</dd>');
    expect(html).not.toContain('style=');
  });

  it('says "No status" when the document has none', () => {
    expect(renderText('# Plain\n\nText.\n')).toContain(
      '<span class="dd-badge dd-status-unknown">No status</span>',
    );
  });

  it('renders the overview diagram as a preformatted block', () => {
    const text = readFileSync(join(repoRoot, 'templates/design-document.md'), 'utf8');
    const doc = parse(text, { fileName: 'design-document.md' });
    expect(doc.diagram).not.toBeNull();
    const html = render(doc);
    expect(html).toMatch(/<pre class="dd-diagram"><code>┌─────────────┐/);
  });

  it('does not render front matter as content', () => {
    const html = renderText('---\ntitle: Hidden\nstatus: draft\n---\n# Visible\n\n## Part\n\nx\n');
    expect(html).not.toContain('title: Hidden');
    expect(headingIds(html)).toContain(
      parse('---\ntitle: Hidden\nstatus: draft\n---\n# Visible\n\n## Part\n\nx\n').sections.find(
        (s) => s.title === 'Part',
      )?.id,
    );
  });
});

describe('render: heading anchors equal the parser section ids', () => {
  const expectIdsMatch = (doc: DesignDocument): void => {
    const ids = new Set(headingIds(render(doc)));
    const missing = flatten(doc.sections)
      .map((section) => section.id)
      .filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  };

  it('on the design-document template', () => {
    const text = readFileSync(join(repoRoot, 'templates/design-document.md'), 'utf8');
    const doc = parse(text, { fileName: 'design-document.md' });
    expect(flatten(doc.sections).length).toBeGreaterThan(20);
    expectIdsMatch(doc);
  });

  it('on documents with repeated, setext, CRLF and BOM headings', () => {
    const text =
      '\uFEFF# Doc\r\n\r\nIntro\r\n\r\nOverview\r\n--------\r\n\r\n## Overview\r\n\r\n### Notes\r\n\r\n## Notes\r\n\r\n## C++ & Rust: `code`!\r\n';
    const doc = parse(text, { fileName: 'crlf.md' });
    expect(flatten(doc.sections).length).toBeGreaterThanOrEqual(4);
    expectIdsMatch(doc);
  });

  for (const fixture of ['filled-design.md', 'adr.md', 'odd-spellings.md']) {
    const path = join(repoRoot, 'test/fixtures/extract', fixture);
    it.skipIf(!existsSync(path))(`on fixture ${fixture}`, () => {
      expectIdsMatch(parse(readFileSync(path, 'utf8'), { fileName: fixture }));
    });
  }

  it('on a sample of corpus documents (one per source)', () => {
    if (!requireCorpus('render heading ids')) return;
    const bySource = new Map<string, string>();
    for (const doc of corpusDocuments()) if (!bySource.has(doc.source)) bySource.set(doc.source, doc.path);
    for (const path of bySource.values()) {
      const doc = parse(readFileSync(path, 'utf8'), { fileName: path });
      const html = render(doc);
      expect(unsafeParts(html), path).toEqual([]);
      const ids = new Set(headingIds(html));
      expect(
        flatten(doc.sections)
          .map((s) => s.id)
          .filter((id) => !ids.has(id)),
        path,
      ).toEqual([]);
    }
  });
});

describe('renderPage', () => {
  it('is a standalone HTML5 page with a strict CSP, print CSS and an escaped title', () => {
    const page = renderPage(parse('# A *bold* & "quoted" title\n\n## Part\n\nx\n', { fileName: 't.md' }));
    expect(page.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP.replace(/'/g, '&#39;')}">`,
    );
    expect(PAGE_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(page).toContain('<title>A bold &amp; &quot;quoted&quot; title</title>');
    expect(page).toMatch(/@media print \{[^]*h2 \{ break-before: page;/);
    expect(page).not.toMatch(/<script/i);
  });

  it('escapes a hostile title given explicitly', () => {
    expect(renderPage(parse('# X\n'), { title: 'Other </title><script>x()</script>' })).toContain(
      '<title>Other &lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>',
    );
  });
});

describe('renderPage: metadata in <head>', () => {
  it('escapes a front matter title holding markup', () => {
    const page = renderPage(
      parse('---\ntitle: "</title><script>window.__xss=1</script>"\n---\n\nBody\n', { fileName: 'fm.md' }),
    );
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).not.toMatch(/<script/i);
    expect(head.match(/<title>/g)).toHaveLength(1);
  });
});
