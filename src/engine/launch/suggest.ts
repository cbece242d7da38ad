// "Did you mean …?" for keys and enum values: a typo (`primay`), another spelling of the same
// word (`preserve_path`, `PreservePath`) or a near miss (`cloudfare`).

function squash(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/** Edit distance with a cap: stops early once every path costs more than `max`. */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The closest candidate, or undefined when none is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const squashed = squash(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const other = squash(candidate);
    if (other === squashed) return candidate;
    const limit = Math.max(1, Math.floor(Math.max(squashed.length, other.length) / 3));
    const distance = levenshtein(squashed, other, limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
