/**
 * GitHub-style heading slugs for headings the parser does not place in the section tree (those
 * inside lists or block quotes). Section headings use the parser's own `Section.id`, so the outline,
 * lint jumps and the rendered anchors always agree.
 */

/** Lower case, punctuation dropped, spaces to `-`; `section` when nothing is left. */
export function headingSlug(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
  return slug === '' ? 'section' : slug;
}
