/** Random identifiers in the formats Adobe's SDK uses (TARGET-PROTOCOL.md §5.3, §5.4). */

// One crypto.getRandomValues call per 4 KiB instead of one per id: each call costs microseconds
// in Node, and a getAttributes call needs three ids (measured in BENCHMARKS.md). The bytes are
// still CSPRNG output, each handed out once.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

// Character codes of the hex digits, and one id's worth of them: String.fromCharCode makes the
// string in one step, about twice as fast as concatenating 16 two-digit strings.
const LOWER_HEX = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));
const UPPER_HEX = Array.from("0123456789ABCDEF", (digit) => digit.charCodeAt(0));
const DASH = 45;
const codes: number[] = new Array<number>(32).fill(0);
const groupedCodes: number[] = new Array<number>(33).fill(0);

// The index of 16 fresh random bytes in `pool`.
function takeRandomBytes(): number {
  if (poolOffset + 16 > POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += 16;
  return start;
}

/** A v4 uuid as 32 lowercase hex digits without dashes, as `requestId`, `sessionId` and `X-Request-Id`. */
export function createUuid32(): string {
  const start = takeRandomBytes();
  for (let index = 0; index < 16; index += 1) {
    let byte = pool[start + index]!;
    // RFC 4122 §4.4: version 4, variant 10xx.
    if (index === 6) byte = (byte & 0x0f) | 0x40;
    else if (index === 8) byte = (byte & 0x3f) | 0x80;
    codes[2 * index] = LOWER_HEX[byte >> 4]!;
    codes[2 * index + 1] = LOWER_HEX[byte & 0x0f]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** A supplemental data id (SDID): two groups of 16 uppercase hex digits, `^[0-9A-F]{16}-[0-9A-F]{16}$`. */
export function createSupplementalDataId(): string {
  const start = takeRandomBytes();
  for (let index = 0; index < 16; index += 1) {
    const byte = pool[start + index]!;
    const at = 2 * index + (index >= 8 ? 1 : 0);
    groupedCodes[at] = UPPER_HEX[byte >> 4]!;
    groupedCodes[at + 1] = UPPER_HEX[byte & 0x0f]!;
  }
  groupedCodes[16] = DASH;
  return String.fromCharCode.apply(null, groupedCodes);
}
