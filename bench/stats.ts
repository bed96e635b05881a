/** Small statistics and formatting helpers shared by the benchmarks. */

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Milliseconds with a sensible number of digits. */
export function formatMs(milliseconds: number): string {
  if (milliseconds >= 1000) return `${(milliseconds / 1000).toFixed(2)} s`;
  if (milliseconds >= 10) return `${milliseconds.toFixed(0)} ms`;
  if (milliseconds >= 1) return `${milliseconds.toFixed(2)} ms`;
  return `${(milliseconds * 1000).toFixed(0)} µs`;
}

/** A ratio as `1.23x`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}x`;
}

/** Bytes as kB or MB with one decimal (1 kB = 1000 B, as bundle size tools report) and exact bytes. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB (${bytes.toLocaleString("en")} B)`;
  return bytes >= 1000 ? `${(bytes / 1000).toFixed(1)} kB (${bytes.toLocaleString("en")} B)` : `${bytes} B`;
}

/** A Markdown table. */
export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Two contenders timed side by side: medians of their rounds and of the per-round ratios, with the ratios' spread. */
export interface SideBySide {
  ours: number;
  theirs: number;
  ratio: number;
  low: number;
  high: number;
}

/**
 * Times two contenders in interleaved rounds, alternating which goes first, after two warm-up
 * rounds each. Each timer runs one round and returns its cost per iteration; ratio = ours / theirs,
 * the median of the per-round ratios, with the lowest and highest round.
 */
export async function compareInterleaved(ours: () => number | Promise<number>, theirs: () => number | Promise<number>, rounds: number): Promise<SideBySide> {
  for (let warm = 0; warm < 2; warm += 1) {
    await ours();
    await theirs();
  }
  const ourTimes: number[] = [];
  const theirTimes: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const [first, second] = round % 2 === 0 ? [ours, theirs] : [theirs, ours];
    const a = await first();
    const b = await second();
    const [mine, other] = round % 2 === 0 ? [a, b] : [b, a];
    ourTimes.push(mine);
    theirTimes.push(other);
    ratios.push(mine / other);
  }
  const sorted = [...ratios].sort((left, right) => left - right);
  return { ours: median(ourTimes), theirs: median(theirTimes), ratio: median(ratios), low: sorted[0]!, high: sorted.at(-1)! };
}
