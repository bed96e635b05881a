/** Random identifiers in the formats Adobe's SDK uses (TARGET-PROTOCOL.md §5.3, §5.4). */

// One crypto.getRandomValues call per 4 KiB instead of one per id: each call costs microseconds
// in Node, and a getAttributes call needs three ids (measured in BENCHMARKS.md). The bytes are
// still CSPRNG output, each handed out once.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;
const HEX_CODES = Array.from("0123456789abcdef", (digit) => digit.charCodeAt(0));
// One id's character codes: String.fromCharCode makes the string in one step, about twice as fast
// as concatenating sixteen two-digit strings.
const codes: number[] = [];

// 32 random lowercase hex digits. `uuid` sets the version 4 and variant bits of RFC 4122 §4.4.
function randomHex(uuid: boolean): string {
  if (poolOffset + 16 > POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  for (let index = 0; index < 16; index += 1) {
    let byte = pool[poolOffset + index]!;
    if (uuid && index === 6) byte = (byte & 0x0f) | 0x40;
    if (uuid && index === 8) byte = (byte & 0x3f) | 0x80;
    codes[2 * index] = HEX_CODES[byte >> 4]!;
    codes[2 * index + 1] = HEX_CODES[byte & 0x0f]!;
  }
  poolOffset += 16;
  return String.fromCharCode.apply(null, codes);
}

/** A v4 uuid as 32 lowercase hex digits without dashes, as `requestId`, `sessionId` and `X-Request-Id`. */
export function createUuid32(): string {
  return randomHex(true);
}

/** A supplemental data id (SDID): two groups of 16 uppercase hex digits, `^[0-9A-F]{16}-[0-9A-F]{16}$`. */
export function createSupplementalDataId(): string {
  const hex = randomHex(false).toUpperCase();
  return `${hex.slice(0, 16)}-${hex.slice(16)}`;
}
