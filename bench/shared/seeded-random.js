/**
 * A small seeded pseudo-random generator (mulberry32) for benchmark data: the same seed gives the
 * same documents on every machine and Node version, which Math.random cannot promise.
 */

/**
 * Hashes a seed and a stream index into a 32-bit state, so document i is the same whatever the
 * document count, and neighbouring indices still get unrelated streams.
 * @param {number} seed
 * @param {number} index
 * @returns {number}
 */
function mixSeed(seed, index) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Creates a random source for one stream (one generated document). It offers the few draws the
 * generator needs: a float, an integer range, a chance, a pick and a sample without repeats.
 * @param {number} seed
 * @param {number} [index]
 */
export function createRandom(seed, index = 0) {
  let state = mixSeed(seed, index);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** @param {number} min @param {number} max inclusive */
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  /** @param {number} probability */
  const chance = (probability) => next() < probability;
  /** @template T @param {readonly T[]} items @returns {T} */
  const pick = (items) => /** @type {T} */ (items[Math.floor(next() * items.length)]);
  /** @template T @param {readonly T[]} items @param {number} count @returns {T[]} */
  const sample = (items, count) => {
    const pool = items.slice();
    const out = [];
    for (let i = 0; i < count && pool.length > 0; i++) {
      out.push(/** @type {T} */ (pool.splice(Math.floor(next() * pool.length), 1)[0]));
    }
    return out;
  };
  return { next, int, chance, pick, sample };
}
