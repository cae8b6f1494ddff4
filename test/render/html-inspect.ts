// Reads the tags and attributes of sanitiser output. The sanitiser serialises every attribute
// double-quoted with `"`, `<`, `>` and `&` escaped, so a tag scanner is exact on this output.
export interface Tag {
  name: string;
  attrs: Record<string, string>;
}

const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:="([^"]*)")?/g;

/** Decodes the entities the sanitiser writes plus numeric ones, to see URLs as a browser would. */
export function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every opening tag in `html` with its attributes (values entity-decoded). */
export function openingTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of html.matchAll(TAG)) {
    const attrs: Record<string, string> = {};
    for (const attr of (match[2] ?? '').matchAll(ATTR))
      attrs[(attr[1] as string).toLowerCase()] = decodeEntities(attr[2] ?? '');
    tags.push({ name: (match[1] as string).toLowerCase(), attrs });
  }
  return tags;
}

const EXECUTABLE_TAGS = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'svg',
  'math',
  'link',
  'meta',
  'base',
  'template',
  'textarea',
  'button',
  'select',
]);
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp)[;,]/i;

/** Everything in a fragment that could run code, restyle the page or leave through an unsafe URL. */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  if (/<\s*script/i.test(html)) problems.push('a <script> tag');
  for (const tag of openingTags(html)) {
    if (EXECUTABLE_TAGS.has(tag.name)) problems.push(`<${tag.name}>`);
    for (const [name, value] of Object.entries(tag.attrs)) {
      if (name.startsWith('on')) problems.push(`${tag.name}[${name}]`);
      if (name === 'style') problems.push(`${tag.name}[style]`);
      if (
        ['href', 'src', 'action', 'formaction', 'xlink:href', 'cite', 'srcset', 'background'].includes(name)
      ) {
        // Browsers drop control characters and whitespace inside a scheme.
        // eslint-disable-next-line no-control-regex -- browsers ignore control characters in URLs
        const url = value.replace(/[\u0000-\u0020\u007f]+/g, '').toLowerCase();
        if (/^(?:javascript|vbscript|file):/.test(url)) problems.push(`${tag.name}[${name}=${value}]`);
        if (url.startsWith('data:') && !(tag.name === 'img' && name === 'src' && SAFE_DATA_IMAGE.test(url)))
          problems.push(`${tag.name}[${name}=${value}]`);
      }
    }
    if (tag.name === 'input' && (tag.attrs.type !== 'checkbox' || !('disabled' in tag.attrs)))
      problems.push('an enabled or non-checkbox <input>');
  }
  return problems;
}
