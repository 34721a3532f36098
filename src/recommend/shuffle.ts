/** Fisher-Yates shuffle in place with the given uniform [0, 1) generator (seeded by the caller). */
export function shuffleInPlace(values: Int32Array, rng: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}
