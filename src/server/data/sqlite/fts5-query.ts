/**
 * The search box's language — words, "phrases", `prefix*`, AND / OR / NOT, parentheses and
 * `title:` / `metadata:` / `body:` filters — as FTS5 reads it. Any other character outside a phrase
 * separates words, as the tokenizers do and as the PostgreSQL dialect's parser reads it
 * (`payments-service` is `payments service`, `C++` is `C`, `<script>` is `script`). Passed to FTS5
 * as typed, `-` is a column exclusion (`payments-service` failed with "no such column: service")
 * and `+`, `^`, `{`, `}`, `,`, `.`, `/`, `'` are syntax or syntax errors.
 */

const KEPT = /[\p{L}\p{N}_\s"():*]/u;

/**
 * `query` with every character outside the language's own replaced by a blank; null when nothing
 * is left (what is left of the language's own syntax, `(((` say, still goes to FTS5 to be refused).
 */
export function fts5Query(query: string): string | null {
  let out = '';
  let quoted = false;
  for (const c of query) {
    if (c === '"') quoted = !quoted;
    out += quoted || KEPT.test(c) ? c : ' ';
  }
  return out.trim() === '' ? null : out;
}
