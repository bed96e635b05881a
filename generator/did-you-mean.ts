/** "Did you mean …?" for misspelt commands, flags and config options. */

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1);
      current.push(Math.min(previous[column]! + 1, current[column - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}

/**
 * The candidate closest to `word` when it is close enough to be a likely typo (an edit distance
 * of at most a third of its length, at least 1, or a prefix of at least 3 characters), else
 * `undefined`. Case-insensitive; ties go to the earlier candidate.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    const distance = lower.length >= 3 && candidateLower.startsWith(lower) ? 1 : editDistance(lower, candidateLower);
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `; did you mean "x"?` for a suggestion, or an empty string. */
export function suggestionText(word: string, candidates: Iterable<string>, quote = (text: string) => JSON.stringify(text)): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quote(match)}?)`;
}
