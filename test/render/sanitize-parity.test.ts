/**
 * The renderer's sanitiser (src/core/render/sanitize-fragment.ts, written on htmlparser2 because
 * sanitize-html cost as much as markdown-it itself on large documents) must decide exactly as
 * sanitize-html did with the same allowlist: its output is compared byte for byte with sanitize-html
 * configured as the renderer configured it before the switch, on hostile payloads, the rendered
 * template and corpus documents, and seeded random HTML built from the traps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_CLASSES,
  ALLOWED_SCHEMES,
  ALLOWED_SCHEMES_BY_TAG,
  ALLOWED_TAGS,
  KEPT_EMPTY,
  NON_BOOLEAN_ATTRIBUTES,
  NON_TEXT_TAGS,
  sanitizeFragment,
  SELF_CLOSING,
  transformAttributes,
  URL_ATTRIBUTES,
} from '../../src/core/render/sanitize-fragment.js';
import { corpusDocuments, repoRoot, requireCorpus } from '../support/corpus.js';
import { hostileDocument, XSS_PAYLOADS } from './xss-corpus.js';

const TRANSFORMED = ['a', 'img', 'input', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** sanitize-html with the options the renderer passed it before the switch. */
function reference(html: string, headingIds: Iterable<string>): string {
  const context = { headingIds: new Set(headingIds) };
  const transformTags: Record<string, sanitizeHtml.Transformer> = {};
  for (const tag of TRANSFORMED)
    transformTags[tag] = (tagName, attribs) => ({
      tagName,
      attribs: transformAttributes(tagName, attribs as Record<string, string>, context) ?? attribs,
    });
  return sanitizeHtml(html, {
    allowedTags: [...ALLOWED_TAGS],
    allowedAttributes: Object.fromEntries(
      Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, [...names]]),
    ),
    allowedClasses: Object.fromEntries(
      Object.entries(ALLOWED_CLASSES).map(([tag, classes]) => [tag, [...classes]]),
    ) as Record<string, (string | RegExp)[]>,
    allowedStyles: {},
    allowedSchemes: [...ALLOWED_SCHEMES],
    allowedSchemesByTag: Object.fromEntries(
      Object.entries(ALLOWED_SCHEMES_BY_TAG).map(([tag, schemes]) => [tag, [...schemes]]),
    ),
    allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES],
    allowProtocolRelative: true,
    nonTextTags: [...NON_TEXT_TAGS],
    disallowedTagsMode: 'discard',
    transformTags,
  });
}

function expectParity(html: string, headingIds: string[] = []): void {
  expect(sanitizeFragment(html, { headingIds: new Set(headingIds) })).toBe(reference(html, headingIds));
}

const markdown = new MarkdownIt({ html: true, linkify: true });

describe('sanitizeFragment decides as sanitize-html did', () => {
  it('uses the defaults sanitize-html applied (void tags, attributes dropped when empty)', () => {
    expect([...SELF_CLOSING]).toEqual(sanitizeHtml.defaults.selfClosing);
    // Present at run time, missing from @types/sanitize-html.
    const defaults = sanitizeHtml.defaults as typeof sanitizeHtml.defaults & {
      allowedEmptyAttributes: string[];
    };
    expect([KEPT_EMPTY]).toEqual(defaults.allowedEmptyAttributes);
    for (const name of new Set(Object.values(ALLOWED_ATTRIBUTES).flat()))
      expect(NON_BOOLEAN_ATTRIBUTES.includes(name) || name === KEPT_EMPTY, name).toBe(
        sanitizeHtml.defaults.nonBooleanAttributes.includes(name),
      );
  });

  it('on every hostile payload, as raw HTML and as rendered markdown', () => {
    for (const payload of Object.values(XSS_PAYLOADS)) {
      expectParity(payload);
      expectParity(markdown.render(payload));
    }
    expectParity(markdown.render(hostileDocument()), ['getelementbyid', 'title']);
  });

  it('on the rendered template and a sample of corpus documents', () => {
    const template = readFileSync(join(repoRoot, 'templates/design-document.md'), 'utf8');
    expectParity(markdown.render(template), ['goals', 'overview']);
    if (!requireCorpus('sanitiser parity on the corpus')) return;
    const seen = new Set<string>();
    for (const doc of corpusDocuments()) {
      if (seen.has(doc.source)) continue;
      seen.add(doc.source);
      expectParity(markdown.render(readFileSync(doc.path, 'utf8')));
    }
  });

  it('on seeded random HTML made of tags, attributes, entities, comments and broken markup', () => {
    const tagNames = [
      ...ALLOWED_TAGS,
      ...NON_TEXT_TAGS,
      'font',
      'center',
      'form',
      'button',
      'select',
      'custom-el',
      'x:y',
      'wbr',
      'meta',
      'link',
      'base',
      'area',
      'plaintext',
      'frameset',
      'mglyph',
      'foreignObject',
      'desc',
      'DIV',
      'ScRiPt',
      'H2',
      'A',
      'IMG',
    ];
    const attrNames = [
      'href',
      'src',
      'title',
      'class',
      'id',
      'style',
      'onclick',
      'OnError',
      'rel',
      'alt',
      'width',
      'open',
      'checked',
      'disabled',
      'type',
      'aria-label',
      'start',
      'reversed',
      'colspan',
      'rowspan',
      'datetime',
      'cite',
      'srcset',
      'xlink:href',
      'data-x',
      'name',
      'HREF',
    ];
    const values = [
      'https://example.com/a?b=1&c=2',
      'http://x.test',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      ' \u0001javascript:alert(1)',
      '&#106;avascript:alert(1)',
      'jav&#x09;ascript:alert(1)',
      'java<!-- x -->script:alert(1)',
      'java<!-- unclosed script:alert(1)',
      'java<!-->script:alert(1)-->',
      'vbscript:x',
      '//evil.test/x',
      '\\\\evil.test',
      'mailto:a@b.test',
      'tel:123',
      'ftp://x.test',
      'data:image/png;base64,iVBORw0KGgo=',
      'DATA:IMAGE/GIF,x',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:text/html,<script>x</script>',
      '#goals',
      'goals',
      'doc',
      'relative/path?x=<y>',
      '',
      ' ',
      'dd-align-left',
      'dd-align-left dd-align-right evil',
      'language-js extra',
      'language-c++ language-<x>',
      'task-list-item  contains-task-list',
      'mermaid dd-diagram dd-x',
      'dd-status-approved',
      'a"b\'c',
      '<b>&amp;&lt;&gt;</b>',
      '&unknown; &amp &#0; &#x110000;',
      '3',
    ];
    const texts = [
      'text',
      ' ',
      '\n',
      '&',
      '&amp;',
      '&lt;script&gt;',
      '&#60;img&#62;',
      '&nbsp;&copy;&notanentity;',
      '<',
      '>',
      '"',
      "'",
      '≠ ü 漢字 😀',
      '<!-- comment -->',
      '<!-->',
      '<!--',
      '--!>',
      '<!doctype html>',
      '<?xml version="1.0"?>',
      '<![CDATA[ <script>x</script> ]]>',
      '<!x>',
      '</br>',
      '</p>',
      '</',
      '<',
      '<a href="https://x.test',
      '<div',
      '/>',
    ];
    // Every value in every URL, class and id position, one by one.
    for (const value of values) {
      const quoted = `"${value.replaceAll('"', '&quot;')}"`;
      expectParity(`<a href=${quoted} title=${quoted}>a</a><img src=${quoted} alt=${quoted}>`);
      expectParity(`<q cite=${quoted}><td class=${quoted}><code class=${quoted}>c</code></td></q>`);
      expectParity(`<ul class=${quoted}><li class=${quoted}>i</li></ul><pre class=${quoted}>p</pre>`);
      expectParity(`<h2 id=${quoted}>h</h2><ol start=${quoted} reversed>`, ['goals', 'doc']);
    }
    const pick = <T>(items: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...items);
    const attribute = fc
      .tuple(pick(attrNames), pick(values), pick(['"', "'", '', 'none']))
      .map(([name, value, quote]) =>
        quote === 'none'
          ? ` ${name}`
          : quote === ''
            ? ` ${name}=${value.replace(/[\s"'<>=`]/g, '') || 'x'}`
            : ` ${name}=${quote}${value.replaceAll(quote, '')}${quote}`,
      );
    const openTag = fc
      .tuple(pick(tagNames), fc.array(attribute, { maxLength: 4 }), fc.boolean())
      .map(([name, attrs, selfClose]) => `<${name}${attrs.join('')}${selfClose ? ' /' : ''}>`);
    const closeTag = pick(tagNames).map((name) => `</${name}>`);
    const piece = fc.oneof(
      { weight: 4, arbitrary: openTag },
      { weight: 3, arbitrary: closeTag },
      { weight: 4, arbitrary: pick(texts) },
    );
    const headingIds = fc.subarray(['goals', 'doc', 'overview', 'getelementbyid']);
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), headingIds, (pieces, ids) => {
        expectParity(pieces.join(''), ids);
      }),
      { seed: 20261127, numRuns: 3000 },
    );
  });

  it('on markdown-it output of generated large tables, lists and task lists', () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => `| r${i} | **b** <br> x | \`c\` | [l](https://x.test/${i}) | <span class="dd-x">s</span> |`,
    );
    expectParity(markdown.render(`| a | b | c | d | e |\n|:-|-:|:-:|-|-|\n${rows.join('\n')}\n`));
    const items = Array.from(
      { length: 300 },
      (_, i) => `${'  '.repeat(i % 5)}- [${i % 2 ? 'x' : ' '}] t${i}`,
    );
    expectParity(markdown.render(items.join('\n')));
  });
});
