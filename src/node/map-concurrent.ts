/**
 * A bounded pool for I/O: at most `limit` promises in flight, results in input order. Reading ten
 * thousand files with `Promise.all` would open them all at once (EMFILE); one at a time leaves the
 * disk idle while the CPU parses.
 */

/**
 * Calls `fn` on every item with at most `limit` calls pending, and resolves to the results in input
 * order. `fn` should not reject (return errors as values); a rejection rejects the whole map.
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(Math.max(1, limit), items.length); i++) workers.push(worker());
  await Promise.all(workers);
  return results;
}
