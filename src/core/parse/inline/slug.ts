/**
 * GitHub-style heading anchors: lower case, punctuation and symbols removed, spaces as `-`, and
 * `-1`, `-2`… on repeats — the ids GitHub gives headings, so links written against GitHub's
 * rendering keep working. An empty slug becomes `section` (GitHub would give an empty anchor,
 * which nothing can link to).
 */
const STRIP = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;

/** The GitHub slug of one heading text, without de-duplication. */
export function githubSlug(text: string): string {
  // ASCII fast path by char codes: the regex version dominated the section tree's cost.
  const lower = text.toLowerCase();
  let out = '';
  let segment = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45) continue;
    if (c >= 128) return unicodeSlug(text);
    out += c === 32 ? lower.slice(segment, i) + '-' : lower.slice(segment, i);
    segment = i + 1;
  }
  return segment === 0 ? lower : out + lower.slice(segment);
}

function unicodeSlug(text: string): string {
  return text.toLowerCase().replace(STRIP, '').replace(/ /g, '-');
}

/** Hands out unique slugs in document order, the way GitHub numbers repeated headings. */
export class SlugRegistry {
  private readonly seen = new Map<string, number>();

  /** The unique slug for `text`. */
  slug(text: string): string {
    const base = githubSlug(text) || 'section';
    if (!this.seen.has(base)) {
      this.seen.set(base, 0);
      return base;
    }
    let result = base;
    let count = this.seen.get(base) ?? 0;
    while (this.seen.has(result)) {
      count++;
      result = `${base}-${count}`;
    }
    this.seen.set(base, count);
    this.seen.set(result, 0);
    return result;
  }
}
