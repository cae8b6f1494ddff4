/**
 * The search box's query language (the FTS5 subset the SQLite dialect accepts: words, "phrases",
 * prefix `word*`, AND / OR / NOT, parentheses, `title:` / `metadata:` / `body:` column filters)
 * translated into PostgreSQL `to_tsquery` text. Parsing here, not in the engine, keeps both
 * dialects answering the same queries and refusing the same malformed ones with a message instead
 * of a 500; `websearch_to_tsquery` would silently accept anything.
 */
import { DesignDocError } from '../../../core/errors.js';

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'phrase'; text: string; at: number }
  | { kind: 'op'; text: 'AND' | 'OR' | 'NOT'; at: number }
  | { kind: '(' | ')' | ':' | '*'; at: number };

/** Column → the weight `search_index.tsv` gives it. */
const COLUMN_WEIGHTS: Record<string, string> = { title: 'A', metadata: 'B', body: 'C' };

function syntaxError(message: string): DesignDocError {
  return new DesignDocError('DD_E_SEARCH_SYNTAX', `The search query is not valid: ${message}.`, {
    location: { field: 'q' },
  });
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= query.length) throw syntaxError(`unterminated string starting at character ${i + 1}`);
        if (query[j] === '"') {
          if (query[j + 1] === '"') {
            text += '"';
            j += 2;
            continue;
          }
          break;
        }
        text += query[j];
        j++;
      }
      tokens.push({ kind: 'phrase', text, at: i });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === ':' || c === '*') {
      tokens.push({ kind: c, at: i });
      i++;
    } else if (/[\p{L}\p{N}_]/u.test(c)) {
      let j = i;
      while (j < query.length && /[\p{L}\p{N}_]/u.test(query[j] as string)) j++;
      const text = query.slice(i, j);
      if (text === 'AND' || text === 'OR' || text === 'NOT') tokens.push({ kind: 'op', text, at: i });
      else tokens.push({ kind: 'word', text, at: i });
      i = j;
    } else {
      // Punctuation between words separates them, as the engines' tokenizers do.
      i++;
    }
  }
  return tokens;
}

/** The parsed query: terms (a word or a phrase, maybe a prefix, maybe one column's weight) and operators. */
type Node =
  | { kind: 'term'; words: string[]; prefix: boolean; weight: string | null }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  /** `left NOT right`: FTS5's binary NOT, tsquery's `left & !right`. */
  | { kind: 'not'; left: Node; right: Node }
  /** Parentheses the user wrote, kept so the tsquery text reads like the query. */
  | { kind: 'group'; inner: Node };

/** Quotes one word as a tsquery operand (quotes and backslashes doubled / escaped). */
function operand(word: string, weight: string | null, prefix: boolean): string {
  const quoted = `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const suffix = `${prefix ? '*' : ''}${weight ?? ''}`;
  return suffix === '' ? quoted : `${quoted}:${suffix}`;
}

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** tsquery text for a node; `weights: false` drops the column weights (for one column's own vector). */
function render(node: Node, weights: boolean): string {
  switch (node.kind) {
    case 'term': {
      const operands = node.words.map((w, i) =>
        operand(w, weights ? node.weight : null, node.prefix && i === node.words.length - 1),
      );
      return operands.length === 1 ? (operands[0] as string) : `(${operands.join(' <-> ')})`;
    }
    case 'and':
      return `${render(node.left, weights)} & ${render(node.right, weights)}`;
    case 'or':
      return `${render(node.left, weights)} | ${render(node.right, weights)}`;
    case 'not':
      return `${render(node.left, weights)} & !${render(node.right, weights)}`;
    case 'group':
      return `(${render(node.inner, weights)})`;
  }
}

/**
 * What every match must have in the column weighted `weight` (a query on that column's own
 * vector), or null when a match may have nothing there. `title:redis latency` → `redis`:
 * a match needs "redis" in its title, and "latency" anywhere.
 */
function requiredIn(node: Node, weight: string): Node | null {
  switch (node.kind) {
    case 'term':
      return node.weight === weight ? node : null;
    case 'group': {
      const inner = requiredIn(node.inner, weight);
      return inner === null ? null : { kind: 'group', inner };
    }
    case 'not':
      return requiredIn(node.left, weight);
    case 'and': {
      const [left, right] = [requiredIn(node.left, weight), requiredIn(node.right, weight)];
      if (left === null) return right;
      if (right === null) return left;
      return { kind: 'and', left, right };
    }
    case 'or': {
      const [left, right] = [requiredIn(node.left, weight), requiredIn(node.right, weight)];
      return left === null || right === null ? null : { kind: 'or', left, right };
    }
  }
}

/** Parses the search-box query, or throws DD_E_SEARCH_SYNTAX; null when it holds no searchable word. */
function parse(query: string): Node | null {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const describe = (t: Token | undefined): string =>
    t === undefined ? 'end of query' : 'text' in t ? `"${t.text}"` : `"${t.kind}"`;

  // Grammar (FTS5's precedence): or := and (OR and)* ; and := not ((AND)? not)* ; not := primary (NOT primary)*
  function parseOr(weight: string | null): Node | null {
    let left = parseAnd(weight);
    while (peek()?.kind === 'op' && (peek() as { text: string }).text === 'OR') {
      pos++;
      const right = parseAnd(weight);
      left = combine(left, 'or', right);
    }
    return left;
  }
  function startsPrimary(t: Token | undefined): boolean {
    return t !== undefined && (t.kind === 'word' || t.kind === 'phrase' || t.kind === '(');
  }
  function parseAnd(weight: string | null): Node | null {
    let left = parseNot(weight);
    for (;;) {
      const t = peek();
      if (t?.kind === 'op' && t.text === 'AND') {
        pos++;
        left = combine(left, 'and', parseNot(weight));
      } else if (startsPrimary(t)) {
        left = combine(left, 'and', parseNot(weight));
      } else {
        return left;
      }
    }
  }
  function parseNot(weight: string | null): Node | null {
    let left = parsePrimary(weight);
    while (peek()?.kind === 'op' && (peek() as { text: string }).text === 'NOT') {
      pos++;
      const right = parsePrimary(weight);
      if (right !== null) left = left === null ? null : { kind: 'not', left, right };
    }
    return left;
  }
  function parsePrimary(weight: string | null): Node | null {
    const t = peek();
    if (t === undefined || !startsPrimary(t))
      throw syntaxError(`expected a word, a "phrase" or "(", found ${describe(t)}`);
    pos++;
    if (t.kind === '(') {
      const inner = parseOr(weight);
      const close = peek();
      if (close?.kind !== ')')
        throw syntaxError(`expected ")" to close the "(" at character ${t.at + 1}, found ${describe(close)}`);
      pos++;
      return inner === null ? null : { kind: 'group', inner };
    }
    if (t.kind === 'word' && peek()?.kind === ':') {
      const weightOf = COLUMN_WEIGHTS[t.text.toLowerCase()];
      if (weightOf === undefined)
        throw syntaxError(`no such column: ${t.text} (columns: title, metadata, body)`);
      pos++;
      return parsePrimary(weightOf);
    }
    const text = (t as { text: string }).text;
    const prefix = peek()?.kind === '*';
    if (prefix) pos++;
    const parts = words(text);
    if (parts.length === 0) return null;
    return { kind: 'term', words: parts, prefix, weight };
  }
  function combine(left: Node | null, kind: 'and' | 'or', right: Node | null): Node | null {
    if (left === null) return right;
    if (right === null) return left;
    return { kind, left, right };
  }

  if (tokens.length === 0) return null;
  const result = parseOr(null);
  if (pos < tokens.length)
    throw syntaxError(`unexpected ${describe(peek())} at character ${(peek() as Token).at + 1}`);
  return result;
}

/**
 * Translates a search-box query into `to_tsquery` text, or throws DD_E_SEARCH_SYNTAX naming the
 * problem. Returns null when the query holds no searchable word (nothing can match).
 */
export function toTsQuery(query: string): string | null {
  const node = parse(query);
  return node === null ? null : render(node, true);
}

/** How the PostgreSQL driver finds a query's ranking candidates (see its search()). */
export interface SearchPlan {
  /** The query over the weighted document vector (title A, metadata B, body C). */
  tsquery: string;
  /**
   * What to look for in the narrow title or metadata vectors. `required`: every match has it
   * (`title:…` or `metadata:…` in every branch; `title:redis latency` needs "redis" in the
   * title), so that column alone finds the candidates. Otherwise the whole query without
   * weights against the title: the documents whose title alone matches, ranked first.
   */
  header: { column: 'title' | 'metadata'; tsquery: string; required: boolean };
}

/** The query parsed once for search: its tsquery and where its candidates are. Null: nothing to search for. */
export function planSearchQuery(query: string): SearchPlan | null {
  const node = parse(query);
  if (node === null) return null;
  const tsquery = render(node, true);
  for (const [column, weight] of [
    ['title', 'A'],
    ['metadata', 'B'],
  ] as const) {
    const need = requiredIn(node, weight);
    if (need !== null) return { tsquery, header: { column, tsquery: render(need, false), required: true } };
  }
  return { tsquery, header: { column: 'title', tsquery: render(node, false), required: false } };
}

/**
 * The first word the query looks for (not a column name, not after NOT), lower-cased: where the
 * snippet window opens. Null when there is none.
 */
export function firstSearchWord(query: string): string | null {
  let tokens: Token[];
  try {
    tokens = tokenize(query);
  } catch {
    return null;
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const previous = tokens[i - 1];
    if (previous?.kind === 'op' && previous.text === 'NOT') continue;
    if (t.kind === 'word' && tokens[i + 1]?.kind === ':') continue;
    if (t.kind === 'word' || t.kind === 'phrase') {
      const word = words(t.text)[0];
      if (word !== undefined) return word.toLowerCase();
    }
  }
  return null;
}
