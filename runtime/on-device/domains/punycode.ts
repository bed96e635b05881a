/**
 * `toASCII` of RFC 3492 punycode, as the `punycode` module that Adobe's SDK uses for public
 * suffix lookups: labels with non-ASCII characters become `xn--…`, the rest is left as it is.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
// The separators punycode.js splits domains on: full stop and its ideographic and full-width forms.
const SEPARATORS = /[.\u3002\uFF0E\uFF61]/;
const NON_ASCII = /[^\0-\x7F]/;

function digit(value: number): string {
  // 0..25 → a..z, 26..35 → 0..9
  return String.fromCharCode(value + 22 + 75 * Number(value < 26));
}

function adapt(delta: number, pointCount: number, first: boolean): number {
  let scaled = first ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / pointCount);
  let k = 0;
  for (; scaled > ((BASE - T_MIN) * T_MAX) >> 1; k += BASE) scaled = Math.floor(scaled / (BASE - T_MIN));
  return Math.floor(k + ((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

function encodeLabel(label: string): string {
  const codePoints = Array.from(label, (character) => character.codePointAt(0)!);
  let output = "";
  for (const point of codePoints) if (point < 0x80) output += String.fromCharCode(point);
  const basicLength = output.length;
  let handled = basicLength;
  if (basicLength > 0) output += "-";
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < codePoints.length) {
    let next = Number.MAX_SAFE_INTEGER;
    for (const point of codePoints) if (point >= n && point < next) next = point;
    delta += (next - n) * (handled + 1);
    n = next;
    for (const point of codePoints) {
      if (point < n) delta += 1;
      if (point !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const threshold = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < threshold) break;
        output += digit(threshold + ((q - threshold) % (BASE - threshold)));
        q = Math.floor((q - threshold) / (BASE - threshold));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basicLength);
      delta = 0;
      handled += 1;
    }
    delta += 1;
    n += 1;
  }
  return output;
}

/** A domain (or the domain part of an e-mail address) with every non-ASCII label punycode-encoded. */
export function toASCII(domain: string): string {
  if (!NON_ASCII.test(domain)) return domain;
  const at = domain.lastIndexOf("@");
  const local = at === -1 ? "" : domain.slice(0, at + 1);
  return (
    local +
    domain
      .slice(at + 1)
      .split(SEPARATORS)
      .map((label) => (NON_ASCII.test(label) ? `xn--${encodeLabel(label)}` : label))
      .join(".")
  );
}
