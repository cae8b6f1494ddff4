/**
 * Per-document caches that die with their document in V8's young generation. A `WeakMap` keyed by
 * a document keeps its values through every scavenge (only a full mark-compact clears an entry
 * whose key has died), so each cached value — and, through it, the document's sections — was
 * promoted to the old generation and collected there: on 10,000 generated documents that was most
 * of a lint run's garbage-collection time. A `DocumentMap` stores its value on the document
 * itself, under one non-enumerable symbol (invisible to `JSON.stringify`, `structuredClone`,
 * spreads and deep equality), so a document no longer referenced takes its caches with it.
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
