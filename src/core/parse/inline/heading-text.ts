/**
 * Heading plain text: a heading's inline content reduced to the text a reader sees. This is a
 * port of the parts of commonmark.js's inline parser that decide which characters are text —
 * backslash escapes, entities, code spans, emphasis with the delimiter-run algorithm, inline and
 * reference links and images, autolinks — with raw inline HTML dropped. Nodes are kept flat
 * because plain text does not care about nesting, only about which delimiter characters were
 * consumed.
 */
import { decodeHTMLStrict } from 'entities';
import {
  isEscapable,
  linkDestination,
  linkLabelLength,
  linkTitleEnd,
  normalizeLabel,
  skipSpnl,
} from './link-reference.js';

const TAGNAME = '[A-Za-z][A-Za-z0-9-]*';
const ATTRIBUTENAME = '[a-zA-Z_:][a-zA-Z0-9:._-]*';
const ATTRIBUTEVALUE = '(?:[^"\'=<>`\\x00-\\x20]+|\'[^\']*\'|"[^"]*")';
const ATTRIBUTE = '(?:\\s+' + ATTRIBUTENAME + '(?:\\s*=\\s*' + ATTRIBUTEVALUE + ')?)';
/** An HTML open tag, as CommonMark defines it. */
export const OPEN_TAG = '<' + TAGNAME + ATTRIBUTE + '*\\s*/?>';
/** An HTML closing tag, as CommonMark defines it. */
export const CLOSE_TAG = '</' + TAGNAME + '\\s*[>]';
const reHtmlTag = new RegExp(
  '(?:' +
    OPEN_TAG +
    '|' +
    CLOSE_TAG +
    '|<!-->|<!--->|<!--[\\s\\S]*?-->|[<][?][\\s\\S]*?[?][>]|<![A-Za-z]+[^>]*>|<!\\[CDATA\\[[\\s\\S]*?\\]\\]>)',
  'y',
);
const reEmailAutolink =
  /<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;
// eslint-disable-next-line no-control-regex -- CommonMark names these control characters explicitly
const reAutolink = /<[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\x00-\x20]*>/iy;
const reEntityHere = /&(?:#x[a-f0-9]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/iy;
const reMain = /[^\n`[\]\\!<&*_'"]+/y;
const rePunctuation = /^[!"#$%&'()*+,\-./:;<=>?@[\]\\^_`{|}~\p{P}\p{S}]/u;
const reUnicodeWhitespace = /^\s/;
// eslint-disable-next-line no-control-regex -- CommonMark names these control characters explicitly
const reWhitespaceChar = /^[ \t\n\x0b\x0c\x0d]/;

/**
 * Like commonmark.js, some inline constructs rescan to the end of the subject when unclosed
 * (`<!--`, `<a b="`, link titles), which is quadratic on hostile input. No real heading comes near
 * this length; past it the raw text is the plain text.
 */
const MAX_INLINE_LENGTH = 4000;

/** Characters that can change a heading's plain text; without them the text is the trimmed raw text. */
// eslint-disable-next-line no-control-regex -- CommonMark names these control characters explicitly
const SPECIAL = /[\\&`*_[\]!<\n\x00]/;

const TEXT = 0;
const CODE = 1;
const OTHER = 2;
const BREAK = 3;

interface InlineNode {
  kind: number;
  text: string;
  dead: boolean;
}

interface Delimiter {
  cc: number;
  numdelims: number;
  origdelims: number;
  node: InlineNode;
  previous: Delimiter | null;
  next: Delimiter | null;
  canOpen: boolean;
  canClose: boolean;
}

interface Bracket {
  node: InlineNode;
  previous: Bracket | null;
  previousDelimiter: Delimiter | null;
  index: number;
  image: boolean;
  active: boolean;
  bracketAfter: boolean;
}

function stickyEnd(re: RegExp, s: string, pos: number): number {
  re.lastIndex = pos;
  return re.test(s) ? re.lastIndex : -1;
}

class PlainTextParser {
  private readonly nodes: InlineNode[] = [];
  private lastTopText: InlineNode | null = null;
  private delimiters: Delimiter | null = null;
  private brackets: Bracket | null = null;
  private pos = 0;

  constructor(
    private readonly subject: string,
    private readonly refs: ReadonlyMap<string, string>,
  ) {}

  run(): string {
    const s = this.subject;
    const n = s.length;
    while (this.pos < n) this.parseInline(s.charCodeAt(this.pos));
    this.processEmphasis(null);
    let out = '';
    for (const node of this.nodes) {
      if (node.dead) continue;
      if (node.kind === TEXT || node.kind === CODE) out += node.text;
      else if (node.kind === BREAK) out += ' ';
    }
    return out;
  }

  private append(kind: number, text: string): InlineNode {
    const node: InlineNode = { kind, text, dead: false };
    this.nodes.push(node);
    this.lastTopText = kind === TEXT ? node : null;
    return node;
  }

  private parseInline(c: number): void {
    switch (c) {
      case 10:
        this.parseNewline();
        return;
      case 92:
        this.parseBackslash();
        return;
      case 96:
        this.parseBackticks();
        return;
      case 42:
      case 95:
        this.handleDelim(c);
        return;
      case 91:
        this.pos++;
        this.addBracket(this.append(TEXT, '['), this.pos - 1, false);
        return;
      case 33:
        this.pos++;
        if (this.subject.charCodeAt(this.pos) === 91) {
          this.pos++;
          this.addBracket(this.append(TEXT, '!['), this.pos - 1, true);
        } else {
          this.append(TEXT, '!');
        }
        return;
      case 93:
        this.parseCloseBracket();
        return;
      case 60:
        if (!this.parseAutolink() && !this.parseHtmlTag()) {
          this.pos++;
          this.append(TEXT, '<');
        }
        return;
      case 38: {
        const end = stickyEnd(reEntityHere, this.subject, this.pos);
        if (end !== -1) {
          this.append(TEXT, decodeHTMLStrict(this.subject.slice(this.pos, end)));
          this.pos = end;
        } else {
          this.pos++;
          this.append(TEXT, '&');
        }
        return;
      }
      default: {
        const end = stickyEnd(reMain, this.subject, this.pos);
        if (end !== -1) {
          this.append(TEXT, this.subject.slice(this.pos, end));
          this.pos = end;
        } else {
          this.append(TEXT, this.subject.charAt(this.pos));
          this.pos++;
        }
      }
    }
  }

  private parseNewline(): void {
    this.pos++;
    const last = this.lastTopText;
    if (last !== null && last.text.charCodeAt(last.text.length - 1) === 32) {
      last.text = last.text.replace(/ *$/, '');
    }
    this.append(BREAK, '');
    while (this.subject.charCodeAt(this.pos) === 32) this.pos++;
  }

  private parseBackslash(): void {
    const s = this.subject;
    this.pos++;
    if (s.charCodeAt(this.pos) === 10) {
      this.pos++;
      this.append(BREAK, '');
    } else if (this.pos < s.length && isEscapable(s.charAt(this.pos))) {
      this.append(TEXT, s.charAt(this.pos));
      this.pos++;
    } else {
      this.append(TEXT, '\\');
    }
  }

  private parseBackticks(): void {
    const s = this.subject;
    const start = this.pos;
    let p = start;
    while (s.charCodeAt(p) === 96) p++;
    const count = p - start;
    const afterOpen = p;
    for (;;) {
      const open = s.indexOf('`', p);
      if (open === -1) break;
      let close = open;
      while (s.charCodeAt(close) === 96) close++;
      p = close;
      if (close - open === count) {
        let contents = s.slice(afterOpen, open).replace(/\n/g, ' ');
        if (
          contents.length > 0 &&
          /[^ ]/.test(contents) &&
          contents.charCodeAt(0) === 32 &&
          contents.charCodeAt(contents.length - 1) === 32
        ) {
          contents = contents.slice(1, contents.length - 1);
        }
        this.append(CODE, contents);
        this.pos = close;
        return;
      }
    }
    this.pos = afterOpen;
    this.append(TEXT, s.slice(start, afterOpen));
  }

  private parseAutolink(): boolean {
    const s = this.subject;
    let end = stickyEnd(reEmailAutolink, s, this.pos);
    if (end === -1) end = stickyEnd(reAutolink, s, this.pos);
    if (end === -1) return false;
    this.append(TEXT, s.slice(this.pos + 1, end - 1));
    this.lastTopText = null;
    this.pos = end;
    return true;
  }

  private parseHtmlTag(): boolean {
    const end = stickyEnd(reHtmlTag, this.subject, this.pos);
    if (end === -1) return false;
    this.append(OTHER, '');
    this.pos = end;
    return true;
  }

  private scanDelims(cc: number): { count: number; canOpen: boolean; canClose: boolean } {
    const s = this.subject;
    const start = this.pos;
    let p = start;
    while (s.charCodeAt(p) === cc) p++;
    const count = p - start;
    const before = start === 0 ? '\n' : s.charAt(start - 1);
    const after = p >= s.length ? '\n' : s.charAt(p);
    const afterWs = reUnicodeWhitespace.test(after);
    const afterPunct = rePunctuation.test(after);
    const beforeWs = reUnicodeWhitespace.test(before);
    const beforePunct = rePunctuation.test(before);
    const left = !afterWs && (!afterPunct || beforeWs || beforePunct);
    const right = !beforeWs && (!beforePunct || afterWs || afterPunct);
    if (cc === 95) {
      return { count, canOpen: left && (!right || beforePunct), canClose: right && (!left || afterPunct) };
    }
    return { count, canOpen: left, canClose: right };
  }

  private handleDelim(cc: number): void {
    const res = this.scanDelims(cc);
    const node = this.append(TEXT, this.subject.slice(this.pos, this.pos + res.count));
    this.pos += res.count;
    if (res.canOpen || res.canClose) {
      const d: Delimiter = {
        cc,
        numdelims: res.count,
        origdelims: res.count,
        node,
        previous: this.delimiters,
        next: null,
        canOpen: res.canOpen,
        canClose: res.canClose,
      };
      if (d.previous !== null) d.previous.next = d;
      this.delimiters = d;
    }
  }

  private removeDelimiter(d: Delimiter): void {
    if (d.previous !== null) d.previous.next = d.next;
    if (d.next === null) this.delimiters = d.previous;
    else d.next.previous = d.previous;
  }

  private processEmphasis(stackBottom: Delimiter | null): void {
    const openersBottom: (Delimiter | null)[] = [];
    for (let i = 0; i < 14; i++) openersBottom.push(stackBottom);
    let closer = this.delimiters;
    while (closer !== null && closer.previous !== stackBottom) closer = closer.previous;
    while (closer !== null) {
      if (!closer.canClose) {
        closer = closer.next;
        continue;
      }
      let opener = closer.previous;
      let found = false;
      const index = (closer.cc === 95 ? 2 : 8) + (closer.canOpen ? 3 : 0) + (closer.origdelims % 3);
      while (opener !== null && opener !== stackBottom && opener !== openersBottom[index]) {
        const oddMatch =
          (closer.canOpen || opener.canClose) &&
          closer.origdelims % 3 !== 0 &&
          (opener.origdelims + closer.origdelims) % 3 === 0;
        if (opener.cc === closer.cc && opener.canOpen && !oddMatch) {
          found = true;
          break;
        }
        opener = opener.previous;
      }
      const oldCloser = closer;
      if (!found || opener === null) {
        closer = closer.next;
        openersBottom[index] = oldCloser.previous;
        if (!oldCloser.canOpen) this.removeDelimiter(oldCloser);
        continue;
      }
      const use = closer.numdelims >= 2 && opener.numdelims >= 2 ? 2 : 1;
      opener.numdelims -= use;
      closer.numdelims -= use;
      opener.node.text = opener.node.text.slice(0, opener.node.text.length - use);
      closer.node.text = closer.node.text.slice(0, closer.node.text.length - use);
      if (opener.next !== closer) {
        opener.next = closer;
        closer.previous = opener;
      }
      if (opener.numdelims === 0) {
        opener.node.dead = true;
        this.removeDelimiter(opener);
      }
      if (closer.numdelims === 0) {
        closer.node.dead = true;
        const next = closer.next;
        this.removeDelimiter(closer);
        closer = next;
      }
    }
    while (this.delimiters !== null && this.delimiters !== stackBottom) this.removeDelimiter(this.delimiters);
  }

  private addBracket(node: InlineNode, index: number, image: boolean): void {
    if (this.brackets !== null) this.brackets.bracketAfter = true;
    this.brackets = {
      node,
      previous: this.brackets,
      previousDelimiter: this.delimiters,
      index,
      image,
      active: true,
      bracketAfter: false,
    };
  }

  private parseCloseBracket(): void {
    const s = this.subject;
    this.pos++;
    const startpos = this.pos;
    const opener = this.brackets;
    if (opener === null) {
      this.append(TEXT, ']');
      return;
    }
    if (!opener.active) {
      this.append(TEXT, ']');
      this.brackets = opener.previous;
      return;
    }
    let matched = false;
    const savepos = this.pos;
    if (s.charCodeAt(this.pos) === 40) {
      let p = skipSpnl(s, this.pos + 1);
      const dest = linkDestination(s, p);
      if (dest !== null) {
        p = skipSpnl(s, dest.end);
        if (reWhitespaceChar.test(s.charAt(p - 1))) {
          const titleEnd = linkTitleEnd(s, p);
          if (titleEnd !== -1) p = titleEnd;
        }
        p = skipSpnl(s, p);
        if (s.charCodeAt(p) === 41) {
          this.pos = p + 1;
          matched = true;
        }
      }
    }
    if (!matched) {
      const n = linkLabelLength(s, this.pos);
      let label: string | null = null;
      if (n > 2) label = s.slice(this.pos, this.pos + n);
      else if (!opener.bracketAfter) label = s.slice(opener.index, startpos);
      if (n === 0) this.pos = savepos;
      else this.pos += n;
      if (label !== null && this.refs.has(normalizeLabel(label))) matched = true;
    }
    if (!matched) {
      this.brackets = opener.previous;
      this.pos = startpos;
      this.append(TEXT, ']');
      return;
    }
    this.processEmphasis(opener.previousDelimiter);
    this.brackets = opener.previous;
    opener.node.dead = true;
    this.lastTopText = null;
    if (!opener.image) {
      for (let b = this.brackets; b !== null; b = b.previous) if (!b.image) b.active = false;
    }
  }
}

/**
 * The plain text of a heading's inline content (`raw` as written, lines joined with `\n`), with
 * `refs` the document's normalised link reference labels. Line breaks become single spaces; raw
 * inline HTML is dropped. Matches the concatenated text and code literals of commonmark.js, except
 * that a subject longer than 4,000 characters is returned as written (trimmed).
 */
export function headingPlainText(raw: string, refs: ReadonlyMap<string, string>): string {
  const subject = raw.indexOf('\0') === -1 ? raw.trim() : raw.replace(/\0/g, '\uFFFD').trim();
  if (!SPECIAL.test(subject) || subject.length > MAX_INLINE_LENGTH) return subject;
  return new PlainTextParser(subject, refs).run();
}
