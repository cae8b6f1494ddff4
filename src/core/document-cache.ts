/**
 * Per-document caches that die with their document in V8's young generation. Values held in a
 * `WeakMap` keyed by a document do not die young with their key in Node 20's V8: they survive into
 * the old generation and are freed only by full collections (a loop storing 1.6 KB per fresh key
 * in a `WeakMap` runs 2.6× slower than without it), so each linted document's cached sections were
 * promoted and collected there. A `DocumentMap` stores its value on the document itself, under one
 * non-enumerable symbol: `JSON.stringify`, `structuredClone`, object spread and deep equality do
 * not see it (`Reflect.ownKeys` does), and a document no longer referenced takes its caches with
 * it. A document is never changed after parsing; a changed copy is a new object with caches of its
 * own. Objects made with `Object.create(doc)` would read the original's slots: nothing does that.
 */
import type { DesignDocument } from './model.js';

const SLOTS = Symbol('designdoc.documentCaches');

interface WithSlots {
  [SLOTS]?: unknown[];
}

/** Documents that cannot take a property (frozen models): their caches live here instead. */
const SEALED = new WeakMap<DesignDocument, unknown[]>();

let slotCount = 0;

function slotsOf(doc: DesignDocument): unknown[] {
  const own = (doc as WithSlots)[SLOTS];
  if (own !== undefined) return own;
  if (!Object.isExtensible(doc)) {
    let slots = SEALED.get(doc);
    if (slots === undefined) SEALED.set(doc, (slots = []));
    return slots;
  }
  const slots: unknown[] = [];
  Object.defineProperty(doc, SLOTS, { value: slots });
  return slots;
}

/** A cache keyed by document, with the `get`/`set` of a `WeakMap` (one slot per map). */
export class DocumentMap<V> {
  private readonly slot = slotCount++;

  get(doc: DesignDocument): V | undefined {
    const slots = (doc as WithSlots)[SLOTS] ?? (Object.isExtensible(doc) ? undefined : SEALED.get(doc));
    return slots === undefined ? undefined : (slots[this.slot] as V | undefined);
  }

  set(doc: DesignDocument, value: V): this {
    slotsOf(doc)[this.slot] = value;
    return this;
  }
}
