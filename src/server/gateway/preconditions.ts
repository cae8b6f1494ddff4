/**
 * The entity-tag preconditions of RFC 9110, read by one parser: `If-Match` (§13.1.1) — `*`, or a
 * list of entity tags compared with the strong comparison, so a weak tag (`W/"3"`) never matches
 * and neither does a tag that names no revision — and `If-None-Match` (§13.1.2) — `*`, or a list
 * compared with the weak comparison, so `W/"3"` matches the ETag `"3"`. A document's ETag is
 * `"<revision>"`.
 */
import { DesignDocError } from '../../core/errors.js';

export interface EntityTag {
  weak: boolean;
  /** The quoted part without its quotes. */
  opaque: string;
  /** As sent, for messages. */
  text: string;
}

/** An `If-Match` or `If-None-Match` field value: `*`, or a non-empty list of entity tags. */
export type EntityTagCondition = { any: true } | { any: false; tags: EntityTag[] };

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text; lists may hold
// empty elements (RFC 9110 §5.6.1). "W/" is case-sensitive.
const ELEMENT = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

/**
 * An `If-Match` or `If-None-Match` value (`*`, or `#entity-tag`), or null when it is neither `*`
 * nor a list of entity tags. Repeated header lines arrive joined with ", " and read as one list.
 */
export function parseEntityTagCondition(header: string): EntityTagCondition | null {
  const trimmed = header.trim();
  if (trimmed === '*') return { any: true };
  const tags: EntityTag[] = [];
  // A quoted part is taken whole: a comma inside an opaque tag does not split the list there.
  for (const raw of trimmed.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const text = raw.trim();
    if (text === '') continue;
    const m = ELEMENT.exec(text);
    if (m === null) return null;
    tags.push({ weak: m[1] !== undefined, opaque: m[2] as string, text });
  }
  return tags.length > 0 ? { any: false, tags } : null;
}

/**
 * Whether `If-None-Match` matches the current representation, whose ETag is `etag` — when it does,
 * a GET or HEAD answers 304 Not Modified (RFC 9110 §13.1.2). `*` matches any current
 * representation; a list matches when one of its tags equals `etag` by the weak comparison
 * (opaque parts equal, `W/` on either side ignored). A value that is not `*` nor a list of entity
 * tags matches nothing: the condition is ignored and the full response is sent, which is always
 * correct for a read.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const condition = parseEntityTagCondition(header);
  if (condition === null) return false;
  if (condition.any) return true;
  const current = parseEntityTagCondition(etag);
  if (current === null || current.any || current.tags.length !== 1) return false;
  const opaque = (current.tags[0] as EntityTag).opaque;
  return condition.tags.some((tag) => tag.opaque === opaque);
}

/** The revision a strong tag names (`"3"`; not `"03"`), or null. */
function revisionOf(tag: EntityTag): number | null {
  return !tag.weak && /^(?:0|[1-9]\d{0,8})$/.test(tag.opaque) ? Number(tag.opaque) : null;
}

/**
 * The base revision a write states with `If-Match` (or `baseRevision` in its body), given the
 * document's current revision. A list that holds the current revision bases the write on it; one
 * that does not bases it on a listed revision, so the save answers 412 with the current one. A
 * list in which nothing can match (only weak or unknown tags) is 412 here, saying why. `*`
 * without a `baseRevision` is null: any revision current when the write lands will do.
 */
export function baseRevisionFromIfMatch(
  header: string | undefined,
  bodyBase: number | undefined,
  currentRevision: number,
): number | null {
  if (header === undefined) {
    if (bodyBase !== undefined) return bodyBase;
    throw new DesignDocError(
      'DD_E_PRECONDITION_REQUIRED',
      'Send If-Match with the ETag of the revision you edited (or baseRevision in a JSON body).',
      { location: { field: 'If-Match' } },
    );
  }
  const condition = parseEntityTagCondition(header);
  if (condition === null)
    throw new DesignDocError(
      'DD_E_VALIDATION',
      `If-Match ${JSON.stringify(header)} is not an entity tag such as "3" (quotes included), a list of them, or *.`,
      { location: { field: 'If-Match' } },
    );
  // `*`: any current revision will do; a baseRevision beside it is the narrower condition.
  if (condition.any) return bodyBase ?? null;
  const revisions = condition.tags.map(revisionOf).filter((r): r is number => r !== null);
  if (revisions.length > 0) {
    // Two preconditions that disagree leave the intended base unknown: refuse rather than guess.
    if (bodyBase !== undefined && !revisions.includes(bodyBase))
      throw new DesignDocError(
        'DD_E_VALIDATION',
        `If-Match names revision ${revisions.join(' or ')} but baseRevision is ${bodyBase}; send one of them.`,
        { location: { field: 'baseRevision' } },
      );
    if (bodyBase !== undefined) return bodyBase;
    return revisions.includes(currentRevision) ? currentRevision : Math.max(...revisions);
  }
  const weak = condition.tags.filter((tag) => tag.weak);
  const current = `"${currentRevision}"`;
  const detail =
    weak.length > 0
      ? `If-Match ${weak.map((tag) => tag.text).join(', ')} ${weak.length === 1 ? 'is a weak entity tag' : 'are weak entity tags'}: weak validators cannot be used for If-Match, which uses the strong comparison (RFC 9110 §13.1.1), so a weak tag never matches. Send the strong ETag ${current} from GET instead.`
      : `If-Match ${condition.tags.map((tag) => tag.text).join(', ')} names no revision of this document; its current ETag is ${current}.`;
  throw new DesignDocError('DD_E_PRECONDITION_FAILED', detail, {
    location: { field: 'If-Match' },
    details: { currentRevision, weak: weak.length > 0 },
  });
}
