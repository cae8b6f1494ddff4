/**
 * Reads the expected-finding markers of a rule fixture:
 * - `<!-- expect DD011 -->` at the end of a line: a DD011 finding starts on that line;
 * - `<!-- expect DD011 -->` on a line of its own: on the nearest non-blank line above;
 * - `<!-- expect DD005 DD005 -->`: two findings on that line;
 * - `<!-- expect:-2 DD005 -->`: on the line two above the marker (for lines a trailing comment
 *   would change, such as a `**Group**` label directly over its list);
 * - `<!-- expect-none -->`: the fixture's rule finds nothing;
 * - `<!-- fixture template=design-document -->`: lint with that built-in template's schema.
 */
export interface FixtureSpec {
  /** line → rule ids expected there (sorted). */
  expected: Map<number, string[]>;
  expectNone: boolean;
  template: string | null;
  /** Rule ids the markers mention. */
  rules: Set<string>;
}

const MARKER = /<!--\s*expect(?::(-\d+))?\s+((?:DD\d{3}\s*)+)-->/g;

export function readFixture(text: string): FixtureSpec {
  const lines = text.split(/\r?\n/);
  const expected = new Map<number, string[]>();
  const rules = new Set<string>();
  let expectNone = false;
  let template: string | null = null;
  lines.forEach((line, index) => {
    if (/<!--\s*expect-none\s*-->/.test(line)) expectNone = true;
    const header = /<!--\s*fixture\s+template=([\w-]+)\s*-->/.exec(line);
    if (header) template = header[1] as string;
    for (const match of line.matchAll(MARKER)) {
      const ids = (match[2] as string).trim().split(/\s+/);
      const ownLine = line.replace(MARKER, '').trim() === '';
      let target = index;
      if (match[1] !== undefined) target = index + Number(match[1]);
      else if (ownLine) {
        target = index - 1;
        while (
          target >= 0 &&
          ((lines[target] as string).trim() === '' || /^\s*<!--\s*expect/.test(lines[target] as string))
        )
          target--;
      }
      const lineNumber = target + 1;
      const list = expected.get(lineNumber) ?? [];
      list.push(...ids);
      list.sort();
      expected.set(lineNumber, list);
      for (const id of ids) rules.add(id);
    }
  });
  return { expected, expectNone, template, rules };
}

/** `line: ids` strings, for readable diffs. */
export function describe(map: Map<number, string[]>): string[] {
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([line, ids]) => `${line}: ${ids.join(' ')}`);
}
