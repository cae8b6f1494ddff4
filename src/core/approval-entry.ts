/**
 * One line of an approval slot: who, what verdict, when, on which revision. The server writes the
 * canonical form (`Jane Doe — approved 2026-11-27 (rev 3)`); people write many others, and both
 * must read back into the same structure.
 */
import type { ApprovalEntry, Verdict } from './model.js';

const VERDICT_WORDS: Record<Verdict, string> = {
  approved: 'approved',
  'changes-requested': 'changes requested',
  blocking: 'blocking concern',
  pending: 'pending',
};

// Longest phrases first so that `changes requested` wins over `requested`. Matched as whole words,
// case-insensitively.
const VERDICT_PHRASES: readonly (readonly [string, Verdict])[] = [
  ['blocking concerns', 'blocking'],
  ['blocking concern', 'blocking'],
  ['changes requested', 'changes-requested'],
  ['requested changes', 'changes-requested'],
  ['request changes', 'changes-requested'],
  ['requests changes', 'changes-requested'],
  ['changes required', 'changes-requested'],
  ['needs changes', 'changes-requested'],
  ['needs work', 'changes-requested'],
  ['awaiting review', 'pending'],
  ['in review', 'pending'],
  ['not yet', 'pending'],
  ['signed off', 'approved'],
  ['signed-off', 'approved'],
  ['sign-off', 'approved'],
  ['approved', 'approved'],
  ['approves', 'approved'],
  ['approve', 'approved'],
  ['accepted', 'approved'],
  ['lgtm', 'approved'],
  ['blocking', 'blocking'],
  ['blocked', 'blocking'],
  ['blocks', 'blocking'],
  ['rejected', 'blocking'],
  ['objection', 'blocking'],
  ['veto', 'blocking'],
  ['vetoed', 'blocking'],
  ['pending', 'pending'],
  ['waiting', 'pending'],
  ['requested', 'pending'],
];

const VERDICT_SYMBOLS: readonly (readonly [string, Verdict])[] = [
  ['✅', 'approved'],
  ['✔️', 'approved'],
  ['✔', 'approved'],
  ['☑️', 'approved'],
  ['☑', 'approved'],
  ['👍', 'approved'],
  ['+1', 'approved'],
  ['❌', 'blocking'],
  ['⛔', 'blocking'],
  ['🚫', 'blocking'],
  ['🛑', 'blocking'],
  ['-1', 'blocking'],
  ['👎', 'blocking'],
  ['⚠️', 'changes-requested'],
  ['⚠', 'changes-requested'],
  ['🔄', 'changes-requested'],
  ['⏳', 'pending'],
  ['🕐', 'pending'],
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_RE = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const DATE_ISO = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/;
const DATE_DMY_WORDS = new RegExp(
  `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE},?\\s+(\\d{4})(?!\\d)`,
  'i',
);
const DATE_MDY_WORDS = new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'i');
const REVISION = /(?<=^|[\s([,;])rev(?:ision)?\.?\s*#?(\d+)\b/i;
const CHECKBOX = /^\[([ xX])\]\s*/;
const SEPARATORS = /\s+[—–-]+\s+|\s*[—–|;,:]\s*|\s+-$|^-\s+/;
const CONNECTORS = /^(?:by|on|at|for|in)\s+|\s+(?:on|at|in|for|by)$/i;

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isWordChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code > 127
  );
}

/** Finds `phrase` as a whole word (case-insensitive) in `lower`; -1 when absent. */
function findWord(lower: string, phrase: string): number {
  let from = 0;
  for (;;) {
    const at = lower.indexOf(phrase, from);
    if (at < 0) return -1;
    const before = at === 0 ? 32 : lower.charCodeAt(at - 1);
    const after = at + phrase.length >= lower.length ? 32 : lower.charCodeAt(at + phrase.length);
    if (!isWordChar(before) && !isWordChar(after)) return at;
    from = at + 1;
  }
}

/** Reduces inline markdown left in a name: `**Jane**`, `` `jdoe` ``. */
function plainName(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Reads one approval line into name, verdict, ISO date and revision. Accepts the canonical form
 * `formatApprovalEntry` writes and the forms people write: `Jane Doe (2026-11-27)`,
 * `[x] Jane Doe, 2026-11-27`, `Jane Doe - Approved - 2026/11/27`, `@jdoe ✅`, `Jane Doe, LGTM`,
 * `Approved by Jane Doe on 27 Nov 2026`. A checked box means approved, an empty one pending; a
 * line naming no verdict has verdict null. Unparseable dates are left in the name rather than
 * guessed.
 */
export function parseApprovalEntry(text: string): Omit<ApprovalEntry, 'range' | 'raw'> {
  let rest = text.trim();
  let verdict: Verdict | null = null;
  let date: string | null = null;
  let revision: number | null = null;

  const box = CHECKBOX.exec(rest);
  if (box) {
    verdict = box[1] === ' ' ? 'pending' : 'approved';
    rest = rest.slice(box[0].length);
  }
  // Link targets hold `:` and `/`, which would otherwise read as separators and dates.
  if (rest.includes('](')) rest = rest.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');

  let m = DATE_ISO.exec(rest);
  if (m) {
    date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  } else if ((m = DATE_DMY_WORDS.exec(rest))) {
    date = isoDate(Number(m[3]), MONTHS.indexOf((m[2] as string).toLowerCase()) + 1, Number(m[1]));
  } else if ((m = DATE_MDY_WORDS.exec(rest))) {
    date = isoDate(Number(m[3]), MONTHS.indexOf((m[1] as string).toLowerCase()) + 1, Number(m[2]));
  }
  if (m && date !== null) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;

  const rev = REVISION.exec(rest);
  if (rev) {
    revision = Number(rev[1]);
    rest = `${rest.slice(0, rev.index)} ${rest.slice(rev.index + rev[0].length)}`;
  }

  for (const [symbol, v] of VERDICT_SYMBOLS) {
    const at = rest.indexOf(symbol);
    if (at < 0) continue;
    // `+1`/`-1` only count as votes standing alone, not inside names or numbers.
    if (symbol.length === 2 && symbol.charCodeAt(1) === 49) {
      const before = at === 0 ? 32 : rest.charCodeAt(at - 1);
      const after = at + 2 >= rest.length ? 32 : rest.charCodeAt(at + 2);
      if (before !== 32 || isWordChar(after)) continue;
    }
    verdict ??= v;
    rest = `${rest.slice(0, at)} ${rest.slice(at + symbol.length)}`;
    break;
  }

  const lower = rest.toLowerCase();
  for (const [phrase, v] of VERDICT_PHRASES) {
    const at = findWord(lower, phrase);
    if (at < 0) continue;
    verdict = v;
    rest = `${rest.slice(0, at)} ${rest.slice(at + phrase.length)}`;
    break;
  }

  // What is left is the name plus separators and leftovers such as empty parentheses.
  rest = rest.replace(/\(\s*\)|\[\s*\]/g, ' ').replace(/\uFE0F/g, '');
  let name = '';
  for (const part of rest.split(SEPARATORS)) {
    const candidate = plainName(part ?? '')
      .replace(CONNECTORS, '')
      .replace(CONNECTORS, '')
      .trim();
    if (candidate !== '' && /[\p{L}\p{N}@]/u.test(candidate)) {
      name = candidate;
      break;
    }
  }
  return { name, date, verdict, revision };
}

/**
 * The canonical approval line the server writes: `Jane Doe — approved 2026-11-27 (rev 3)`.
 * `parseApprovalEntry(formatApprovalEntry(e))` gives back `e` for any name free of separators,
 * dates and verdict words.
 */
export function formatApprovalEntry(e: {
  name: string;
  verdict: Verdict;
  date: string;
  revision?: number | null;
}): string {
  const date = e.date === '' ? '' : ` ${e.date}`;
  const rev = e.revision === undefined || e.revision === null ? '' : ` (rev ${e.revision})`;
  return `${e.name} — ${VERDICT_WORDS[e.verdict]}${date}${rev}`;
}
