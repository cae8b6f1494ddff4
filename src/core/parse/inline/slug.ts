/**
 * GitHub-style heading anchors: lower case, punctuation and symbols removed, spaces as `-`, and
 * `-1`, `-2`… on repeats — the ids GitHub gives headings, so links written against GitHub's
 * rendering keep working. An empty slug becomes `section` (GitHub would give an empty anchor,
 * which nothing can link to).
 */
const STRIP = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;
const ASCII_STRIP = /[^a-z0-9_ -]/g;
const NON_ASCII = /[^\x00-\x7f]/;
const SPACES = / /g;

/** The GitHub slug of one heading text, without de-duplication. */
export function githubSlug(text: string): string {
  // ASCII fast path: the Unicode-property regex costs more than the rest of the section tree.
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(ASCII_STRIP, '').replace(SPACES, '-');
  return text.toLowerCase().replace(STRIP, '').replace(SPACES, '-');
}

/** Hands out unique slugs in document order, the way GitHub numbers repeated headings. */
export class SlugRegistry {
  private readonly seen = new Map<string, number>();

  /** The unique slug for `text`. */
  slug(text: string): string {
    const base = githubSlug(text) || 'section';
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
