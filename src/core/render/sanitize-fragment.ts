/**
 * The allowlist every rendered fragment passes through after markdown-it has run. Markdown accepts
 * raw HTML, so anything the renderer produced is treated as hostile here: only known-inert tags and
 * attributes survive, URLs are limited to http(s)/mailto (and a few raster image types as data URLs
 * on `<img>`), and no `style` attribute is kept at all (styles can position an overlay over the UI).
 */
import sanitizeHtml from 'sanitize-html';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

const ALLOWED_TAGS = [
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

/** Raster image types that cannot carry script; `image/svg+xml` is deliberately absent. */
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp)(?:;base64)?,/i;

/** Absolute or protocol-relative URLs leave the document: they get rel="noopener noreferrer nofollow". */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** The ids the renderer itself put on headings; raw HTML may not invent others (DOM clobbering). */
export interface SanitizeContext {
  headingIds: Set<string>;
}

function headingTransform(context: SanitizeContext): sanitizeHtml.Transformer {
  return (tagName, attribs) => {
    const id = attribs.id;
    const attrs: sanitizeHtml.Attributes = {};
    // First heading carrying a generated id keeps it; a raw-HTML copy of the same id loses it.
    if (id !== undefined && context.headingIds.delete(id)) attrs.id = id;
    return { tagName, attribs: attrs };
  };
}

/**
 * Sanitises rendered HTML against designdoc's allowlist. `context.headingIds` lists the heading
 * anchors the renderer generated; each is allowed once, every other `id` is dropped.
 */
export function sanitizeFragment(html: string, context: SanitizeContext): string {
  const transformTags: Record<string, sanitizeHtml.Transformer> = {
    a: (tagName, attribs) => {
      const attrs: sanitizeHtml.Attributes = {};
      if (attribs.href !== undefined) attrs.href = attribs.href;
      if (attribs.title !== undefined) attrs.title = attribs.title;
      if (attribs.href !== undefined && EXTERNAL.test(attribs.href.trim()))
        attrs.rel = 'noopener noreferrer nofollow';
      return { tagName, attribs: attrs };
    },
    img: (tagName, attribs) => {
      const attrs: sanitizeHtml.Attributes = { ...attribs };
      const src = attribs.src?.trim();
      if (src !== undefined && /^data:/i.test(src) && !SAFE_DATA_IMAGE.test(src)) delete attrs.src;
      return { tagName, attribs: attrs };
    },
    // Only read-only checkboxes: a task list is a record, not a form. Any other input (a text
    // field, a bare `<input>`) is dropped rather than turned into a checkbox that was never there.
    input: (tagName, attribs) => {
      if (attribs.type?.trim().toLowerCase() !== 'checkbox') return { tagName: 'dropped-input', attribs: {} };
      const checked = attribs.checked !== undefined;
      // Labelled so assistive technology says what the box means (axe: form elements need labels).
      const attrs: sanitizeHtml.Attributes = {
        type: 'checkbox',
        disabled: '',
        'aria-label': checked ? 'Done' : 'Not done',
      };
      if (checked) attrs.checked = '';
      return { tagName, attribs: attrs };
    },
  };
  for (const heading of HEADINGS) transformTags[heading] = headingTransform(context);

  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
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
    },
    allowedClasses: {
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
    },
    allowedStyles: {},
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: true,
    // Content of these is dropped with the tag, not kept as text.
    nonTextTags: [
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
    ],
    disallowedTagsMode: 'discard',
    transformTags,
  });
}
