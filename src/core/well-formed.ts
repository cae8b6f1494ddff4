/**
 * Whether `text` holds no unpaired surrogate, so it encodes to UTF-8 as it is. Node 20 has
 * `String.prototype.isWellFormed`, a native scan (the regular expression it replaced was 1% of a
 * save's request-thread time); the ES2023 library types do not declare it yet.
 */
export function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** `text` with each unpaired surrogate replaced by U+FFFD, as a UTF-8 encoder writes it. */
export function toWellFormed(text: string): string {
  return (text as unknown as { toWellFormed(): string }).toWellFormed();
}
