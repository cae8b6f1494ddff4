/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) into where the time went: self time per source
 * file and inclusive time per function, as the share of the profiled run. Enough to tell a parser
 * or CLI engineer which part to look at, without opening DevTools.
 */
import { readFileSync } from 'node:fs';

/**
 * Reads a `.cpuprofile` file and returns the top `limit` entries of self time by file and of
 * inclusive time by function (each function counted once per sample even when recursive).
 * Paths are shown relative to `root` when inside it.
 * @param {string} file
 * @param {{ root?: string, limit?: number }} [options]
 * @returns {{ totalMs: number, selfByFile: { name: string, ms: number, share: number }[], inclusiveByFunction: { name: string, ms: number, share: number }[] }}
 */
export function summarizeCpuProfile(file, { root = '', limit = 20 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const selfById = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    total += delta;
    selfById.set(id, (selfById.get(id) ?? 0) + delta);
  });

  const shortUrl = (url) =>
    root && url.includes(root) ? url.slice(url.indexOf(root) + root.length).replace(/^\//, '') : url;
  // V8 names its own entries "(garbage collector)", "(program)", "(root)"; native calls have no URL.
  const bare = (name) => (name.startsWith('(') ? name : `(${name})`);
  const label = (frame) =>
    frame.url
      ? `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`
      : bare(frame.functionName);

  const selfByFile = new Map();
  const inclusive = new Map();
  for (const [id, time] of selfById) {
    const frame = nodes.get(id).callFrame;
    const fileKey = frame.url ? shortUrl(frame.url) : bare(frame.functionName);
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + time);
    const seen = new Set();
    for (let current = id; current !== undefined; current = parentOf.get(current)) {
      const key = label(nodes.get(current).callFrame);
      if (seen.has(key) || key === '(root)') continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
  }
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => ({
        name,
        ms: Math.round(micros / 1000),
        share: total > 0 ? micros / total : 0,
      }));
  return {
    totalMs: Math.round(total / 1000),
    selfByFile: top(selfByFile),
    inclusiveByFunction: top(inclusive),
  };
}
