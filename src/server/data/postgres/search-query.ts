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

/** Quotes one word as a tsquery operand (quotes and backslashes doubled / escaped). */
function operand(word: string, weight: string | null, prefix: boolean): string {
  const quoted = `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const suffix = `${prefix ? '*' : ''}${weight ?? ''}`;
  return suffix === '' ? quoted : `${quoted}:${suffix}`;
}

function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Translates a search-box query into `to_tsquery` text, or throws DD_E_SEARCH_SYNTAX naming the
 * problem. Returns null when the query holds no searchable word (nothing can match).
 */
export function toTsQuery(query: string): string | null {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const describe = (t: Token | undefined): string =>
    t === undefined ? 'end of query' : 'text' in t ? `"${t.text}"` : `"${t.kind}"`;

  // Grammar (FTS5's precedence): or := and (OR and)* ; and := not ((AND)? not)* ; not := primary (NOT primary)*
  function parseOr(weight: string | null): string | null {
    let left = parseAnd(weight);
    while (peek()?.kind === 'op' && (peek() as { text: string }).text === 'OR') {
      pos++;
      const right = parseAnd(weight);
      left = combine(left, '|', right);
    }
    return left;
  }
  function startsPrimary(t: Token | undefined): boolean {
    return t !== undefined && (t.kind === 'word' || t.kind === 'phrase' || t.kind === '(');
  }
  function parseAnd(weight: string | null): string | null {
    let left = parseNot(weight);
    for (;;) {
      const t = peek();
      if (t?.kind === 'op' && t.text === 'AND') {
        pos++;
        left = combine(left, '&', parseNot(weight));
      } else if (startsPrimary(t)) {
        left = combine(left, '&', parseNot(weight));
      } else {
        return left;
      }
    }
  }
  function parseNot(weight: string | null): string | null {
    let left = parsePrimary(weight);
    while (peek()?.kind === 'op' && (peek() as { text: string }).text === 'NOT') {
      pos++;
      const right = parsePrimary(weight);
      if (right !== null) left = left === null ? null : `${left} & !${right}`;
    }
    return left;
  }
  function parsePrimary(weight: string | null): string | null {
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
      return inner === null ? null : `(${inner})`;
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
    const operands = parts.map((w, i) => operand(w, weight, prefix && i === parts.length - 1));
    return operands.length === 1 ? (operands[0] as string) : `(${operands.join(' <-> ')})`;
  }
  function combine(left: string | null, op: '&' | '|', right: string | null): string | null {
    if (left === null) return right;
    if (right === null) return left;
    return `${left} ${op} ${right}`;
  }

  if (tokens.length === 0) return null;
  const result = parseOr(null);
  if (pos < tokens.length)
    throw syntaxError(`unexpected ${describe(peek())} at character ${(peek() as Token).at + 1}`);
  return result;
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
