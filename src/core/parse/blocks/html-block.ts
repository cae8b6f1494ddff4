/**
 * The seven CommonMark HTML block kinds: which one a line starts, and whether a line ends it.
 * Only lines whose first non-space character is `<` reach the start test, so regexes are fine here.
 */
import { CLOSE_TAG, OPEN_TAG } from '../inline/heading-text.js';

const reHtmlBlockOpen: readonly RegExp[] = [
  /./,
  /^<(?:script|pre|textarea|style)(?:\s|>|$)/i,
  /^<!--/,
  /^<[?]/,
  /^<![A-Za-z]/,
  /^<!\[CDATA\[/,
  /^<[/]?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[123456]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|section|search|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:\s|[/]?[>]|$)/i,
  new RegExp('^(?:' + OPEN_TAG + '|' + CLOSE_TAG + ')\\s*$', 'i'),
];

/**
 * The HTML block kind (1–7) that `line` (from its first non-space character) starts, or 0.
 * Kind 7 cannot interrupt a paragraph; `allowKind7` says whether it may start here.
 */
export function htmlBlockKind(line: string, allowKind7: boolean): number {
  for (let kind = 1; kind <= 7; kind++) {
    if ((reHtmlBlockOpen[kind] as RegExp).test(line)) {
      if (kind < 7 || allowKind7) return kind;
    }
  }
  return 0;
}

const CLOSERS = ['', '', '-->', '?>', '>', ']]>'];
const reKind1Close = /<\/(?:script|pre|textarea|style)>/i;

/**
 * Answers "does the rest of this line end the HTML block?" without rescanning the document: the
 * next occurrence of each closer is cached, so an unclosed comment spanning thousands of lines
 * costs one `indexOf`, not one per line.
 */
export class HtmlBlockCloser {
  private readonly nextAt: number[] = [-2, -2, -2, -2, -2, -2];

  constructor(private readonly text: string) {}

  /** True when `text[from, to)` contains the end condition of HTML block `kind` (1–5). */
  closes(kind: number, from: number, to: number): boolean {
    if (kind === 1) return reKind1Close.test(this.text.slice(from, to));
    const closer = CLOSERS[kind] as string;
    let at = this.nextAt[kind] as number;
    if (at === -2 || (at !== -1 && at < from)) {
      at = this.text.indexOf(closer, from);
      this.nextAt[kind] = at;
    }
    return at !== -1 && at + closer.length <= to;
  }
}
