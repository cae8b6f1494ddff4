/**
 * The allowlist every rendered fragment passes through after markdown-it has run. Markdown accepts
 * raw HTML, so anything the renderer produced is treated as hostile here: only known-inert tags and
 * attributes survive, URLs are limited to http(s)/mailto (and a few raster image types as data URLs
 * on `<img>`), and no `style` attribute is kept at all (styles can position an overlay over the UI).
 *
 * The HTML is read by htmlparser2 (the parser sanitize-html is built on) and written back from its
 * events: every kept tag re-serialised with its allowed attributes double-quoted and escaped, all text
 * re-escaped, comments, doctypes and processing instructions dropped, disallowed tags dropped with
 * their content kept — except the non-text tags below, whose content goes too. The decisions are the
 * ones sanitize-html made with this allowlist (test/render/sanitize-parity.test.ts checks the output
 * is byte-identical on hostile and random input); sanitize-html itself cost as much as markdown-it
 * on large documents (a Frame with two closures per tag, every element's full inner text
 * accumulated, six regex passes per text node, tag lookups by scanning the array), about 3× this.
 */
import { Parser } from 'htmlparser2';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

export const ALLOWED_TAGS: readonly string[] = [
  ...HEADINGS,
  'p',
  'br',
  'hr',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'del',
  'ins',
  'mark',
  'sub',
  'sup',
  'small',
  'kbd',
  'samp',
  'var',
  'abbr',
  'dfn',
  'q',
  'cite',
  'time',
  'a',
  'img',
  'ul',
  'ol',
  'li',
  'input',
  'dl',
  'dt',
  'dd',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'div',
  'span',
  'header',
  'section',
  'figure',
  'figcaption',
];

/** Attributes allowed per tag; a tag not listed keeps none. */
export const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  input: ['type', 'checked', 'disabled', 'aria-label'],
  ol: ['start', 'reversed', 'class'],
  th: ['colspan', 'rowspan', 'class'],
  td: ['colspan', 'rowspan', 'class'],
  abbr: ['title'],
  time: ['datetime'],
  details: ['open'],
  h1: ['id'],
  h2: ['id'],
  h3: ['id'],
  h4: ['id'],
  h5: ['id'],
  h6: ['id'],
  pre: ['class'],
  code: ['class'],
  span: ['class'],
  div: ['class'],
  li: ['class'],
  ul: ['class'],
  header: ['class'],
  dl: ['class'],
  dt: ['class'],
  dd: ['class'],
};

/** Class names allowed per tag (exact names or patterns); other classes are removed from the list. */
export const ALLOWED_CLASSES: Readonly<Record<string, readonly (string | RegExp)[]>> = {
  pre: ['mermaid', 'dd-diagram'],
  code: [/^language-[\w+#.-]+$/],
  th: [/^dd-align-(?:left|center|right)$/],
  td: [/^dd-align-(?:left|center|right)$/],
  li: ['task-list-item'],
  ul: ['contains-task-list'],
  ol: ['contains-task-list'],
  span: [/^dd-[a-z-]+$/],
  div: [/^dd-[a-z-]+$/],
  header: [/^dd-[a-z-]+$/],
  dl: [/^dd-[a-z-]+$/],
  dt: [/^dd-[a-z-]+$/],
  dd: [/^dd-[a-z-]+$/],
};

/** URL schemes allowed in `href`, `src` and `cite`; relative and protocol-relative URLs pass too. */
export const ALLOWED_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];
export const ALLOWED_SCHEMES_BY_TAG: Readonly<Record<string, readonly string[]>> = {
  img: ['http', 'https', 'data'],
};
export const URL_ATTRIBUTES: readonly string[] = ['href', 'src', 'cite'];

/** Tags dropped together with their content (not kept as text) when they are not allowed. */
export const NON_TEXT_TAGS: readonly string[] = [
  'script',
  'style',
  'textarea',
  'option',
  'noscript',
  'svg',
  'math',
  'template',
  'iframe',
  'object',
  'embed',
  'xmp',
  'noembed',
  'noframes',
  'title',
];

/** Written as `<tag … />` and never closed. */
export const SELF_CLOSING: readonly string[] = [
  'img',
  'br',
  'hr',
  'area',
  'base',
  'basefont',
  'input',
  'link',
  'meta',
];

/** Allowed attributes that are dropped when empty (not boolean attributes); `alt` stays as `alt=""`. */
export const NON_BOOLEAN_ATTRIBUTES: readonly string[] = [
  'href',
  'title',
  'rel',
  'src',
  'width',
  'height',
  'type',
  'start',
  'class',
  'colspan',
  'rowspan',
  'datetime',
  'id',
];
export const KEPT_EMPTY = 'alt';

/** Raster image types that cannot carry script; `image/svg+xml` is deliberately absent. */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp)(?:;base64)?,/i;

/** Absolute or protocol-relative URLs leave the document: they get rel="noopener noreferrer nofollow". */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** The ids the renderer itself put on headings; raw HTML may not invent others (DOM clobbering). */
export interface SanitizeContext {
  headingIds: Set<string>;
}

export type Attributes = Record<string, string>;

/**
 * The attributes of an `a`, `img`, `input` or heading tag rewritten before the allowlist applies
 * (`undefined` for other tags: their attributes go to the allowlist as they are). Consumes a heading
 * id from `context.headingIds`: the first heading carrying a generated id keeps it, a raw-HTML copy of
 * the same id loses it.
 */
export function transformAttributes(
  tagName: string,
  attribs: Attributes,
  context: SanitizeContext,
): Attributes | undefined {
  switch (tagName) {
    case 'a': {
      const attrs: Attributes = {};
      if (attribs.href !== undefined) attrs.href = attribs.href;
      if (attribs.title !== undefined) attrs.title = attribs.title;
      if (attribs.href !== undefined && EXTERNAL.test(attribs.href.trim()))
        attrs.rel = 'noopener noreferrer nofollow';
      return attrs;
    }
    case 'img': {
      const attrs: Attributes = { ...attribs };
      const src = attribs.src?.trim();
      if (src !== undefined && /^data:/i.test(src) && !SAFE_DATA_IMAGE.test(src)) delete attrs.src;
      return attrs;
    }
    case 'input': {
      // Only read-only checkboxes: a task list is a record, not a form.
      const checked = attribs.checked !== undefined;
      // Labelled so assistive technology says what the box means (axe: form elements need labels).
      const attrs: Attributes = {
        type: 'checkbox',
        disabled: '',
        'aria-label': checked ? 'Done' : 'Not done',
      };
      if (checked) attrs.checked = '';
      return attrs;
    }
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6': {
      const id = attribs.id;
      const attrs: Attributes = {};
      if (id !== undefined && context.headingIds.delete(id)) attrs.id = id;
      return attrs;
    }
    default:
      return undefined;
  }
}

const TAGS = new Set(ALLOWED_TAGS);
const NON_TEXT = new Set(NON_TEXT_TAGS);
const VOID = new Set(SELF_CLOSING);
const URL_ATTRS = new Set(URL_ATTRIBUTES);
const NON_BOOLEAN = new Set(NON_BOOLEAN_ATTRIBUTES);
const ATTRIBUTES = new Map(Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, new Set(names)]));
const CLASS_NAMES = new Map(
  Object.entries(ALLOWED_CLASSES).map(([tag, classes]) => [
    tag,
    {
      names: new Set(classes.filter((c): c is string => typeof c === 'string')),
      patterns: classes.filter((c): c is RegExp => c instanceof RegExp),
    },
  ]),
);

const NEEDS_ESCAPE = /[&<>"]/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** `&`, `<`, `>` as entities (and `"` in attribute values); the parser has decoded every entity. */
function escapeText(text: string, quote: boolean): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(quote ? /[&<>"]/g : /[&<>]/g, (c) => ESCAPES[c] as string);
}

/**
 * Whether a URL has a scheme outside the tag's allowlist, read as a browser would: control
 * characters, spaces and embedded `<!-- … -->` comments ignored, scheme case-insensitive.
 */
function unsafeUrl(tagName: string, url: string): boolean {
  // eslint-disable-next-line no-control-regex -- browsers ignore these inside a URL
  let clean = url.replace(/[\x00-\x20]+/g, '');
  for (;;) {
    const open = clean.indexOf('<!--');
    if (open === -1) break;
    const close = clean.indexOf('-->', open + 4);
    if (close === -1) break;
    clean = clean.slice(0, open) + clean.slice(close + 3);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9.\-+]*):/.exec(clean)?.[1];
  if (scheme === undefined) return false;
  return !(ALLOWED_SCHEMES_BY_TAG[tagName] ?? ALLOWED_SCHEMES).includes(scheme.toLowerCase());
}

/** The class list with only the allowed names, in order (all of it when the tag has no class rule). */
function allowedClasses(tagName: string, value: string): string {
  const rule = CLASS_NAMES.get(tagName);
  if (rule === undefined) return value;
  return value
    .split(/\s+/)
    .filter((name) => rule.names.has(name) || rule.patterns.some((pattern) => pattern.test(name)))
    .join(' ');
}

function openTag(tagName: string, attribs: Attributes): string {
  let tag = `<${tagName}`;
  const allowed = ATTRIBUTES.get(tagName);
  if (allowed !== undefined) {
    for (const name of Object.keys(attribs)) {
      if (!allowed.has(name)) continue;
      let value = attribs[name] as string;
      if (value === '' && NON_BOOLEAN.has(name)) continue;
      if (URL_ATTRS.has(name) && unsafeUrl(tagName, value)) continue;
      if (name === 'class') {
        value = allowedClasses(tagName, value);
        if (value === '') continue;
      }
      tag += ` ${name}`;
      if (value !== '') tag += `="${escapeText(value, true)}"`;
      else if (name === KEPT_EMPTY) tag += '=""';
    }
  }
  return VOID.has(tagName) ? `${tag} />` : `${tag}>`;
}

interface Frame {
  tag: string;
  kept: boolean;
}

/**
 * Sanitises rendered HTML against designdoc's allowlist. `context.headingIds` lists the heading
 * anchors the renderer generated; each is allowed once, every other `id` is dropped. Linear in the
 * length of `html`, except for raw HTML that leaves thousands of elements open (htmlparser2's own
 * element stack then costs time in its depth, as it did under sanitize-html).
 */
export function sanitizeFragment(html: string, context: SanitizeContext): string {
  let out = '';
  const open: Frame[] = [];
  // > 0 inside a disallowed non-text tag: tags are counted, nothing is written.
  let dropDepth = 0;
  const parser = new Parser(
    {
      onopentag(tagName, attribs) {
        if (dropDepth > 0) {
          dropDepth++;
          return;
        }
        const attrs = transformAttributes(tagName, attribs, context) ?? attribs;
        if (!TAGS.has(tagName)) {
          open.push({ tag: tagName, kept: false });
          if (NON_TEXT.has(tagName)) dropDepth = 1;
          return;
        }
        open.push({ tag: tagName, kept: true });
        out += openTag(tagName, attrs);
      },
      ontext(text) {
        if (dropDepth === 0) out += escapeText(text, false);
      },
      onclosetag(tagName) {
        if (dropDepth > 0 && --dropDepth > 0) return;
        const frame = open.pop();
        if (frame === undefined) return;
        if (frame.tag !== tagName) {
          open.push(frame);
          return;
        }
        if (frame.kept && !VOID.has(tagName)) out += `</${tagName}>`;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}
