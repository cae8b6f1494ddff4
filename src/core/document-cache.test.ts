/**
 * Caches kept on the document must behave like the WeakMaps they replace and leave no trace in
 * what the document looks like from outside: serialised, cloned, spread or compared.
 */
import { describe, expect, it } from 'vitest';
import { DocumentMap } from './document-cache.js';
import { documentLineStarts } from './document-lines.js';
import { lint } from './lint/index.js';
import { parse } from './parse/index.js';

const TEXT = '# Title\n\nStatus: Draft\n\n## Goals\n\n- **Primary Goal**: \n';

describe('DocumentMap', () => {
  it('keeps one value per document and per map', () => {
    const first = new DocumentMap<string>();
    const second = new DocumentMap<number>();
    const a = parse(TEXT);
    const b = parse(TEXT);
    expect(first.get(a)).toBeUndefined();
    first.set(a, 'a');
    second.set(a, 1);
    expect(first.get(a)).toBe('a');
    expect(second.get(a)).toBe(1);
    expect(first.get(b)).toBeUndefined();
    first.set(a, 'again');
    expect(first.get(a)).toBe('again');
  });

  it('leaves no trace in keys, JSON, clones, spreads or equality', () => {
    const cached = parse(TEXT);
    lint(cached); // fills the rules' caches
    new DocumentMap<object>().set(cached, { big: 'value' });
    const fresh = parse(TEXT);
    expect(Object.keys(cached)).toEqual(Object.keys(fresh));
    expect(JSON.stringify(cached)).toBe(JSON.stringify(fresh));
    expect(structuredClone(cached)).toEqual(structuredClone(fresh));
    expect({ ...cached }).toEqual({ ...fresh });
    expect(cached).toEqual(fresh);
    expect(Object.getOwnPropertySymbols({ ...cached })).toEqual([]);
  });

  it('caches for frozen documents too, beside them', () => {
    // CRLF: the parser shares no line table, so the document has no cache slots when frozen.
    const text = TEXT.replace(/\n/g, '\r\n');
    const frozen = Object.freeze(parse(text));
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);
    const map = new DocumentMap<string>();
    expect(map.get(frozen)).toBeUndefined();
    map.set(frozen, 'kept');
    expect(map.get(frozen)).toBe('kept');
    expect(Object.getOwnPropertySymbols(frozen)).toEqual([]);
    expect(lint(frozen).findings).toEqual(lint(parse(text)).findings);
  });

  it('gives a copied document caches of its own', () => {
    const map = new DocumentMap<string>();
    const original = parse(TEXT);
    map.set(original, 'original');
    lint(original);
    const copy = { ...original, text: `\n\n${original.text}` };
    expect(map.get(copy)).toBeUndefined();
    // Tables derived from the text are the copy's own, not the original's cached ones.
    expect(documentLineStarts(copy)).toEqual([
      0,
      1,
      ...documentLineStarts(original).map((start) => start + 2),
    ]);
  });
});
