export async function benchmarkGenerator(): Promise<string> { return ""; }
