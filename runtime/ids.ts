/** Random identifiers in the formats Adobe's SDK uses (TARGET-PROTOCOL.md §5.3, §5.4). */

// One crypto.getRandomValues call per 4 KiB instead of one per id: each call costs microseconds
// in Node, and a getAttributes call needs three ids (measured in BENCHMARKS.md). The bytes are
// still CSPRNG output, each handed out once.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function randomBytes(count: number): Uint8Array {
  if (poolOffset + count > POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.slice(poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += HEX[byte];
  return hex;
}

/** A v4 uuid as 32 lowercase hex digits without dashes, as `requestId`, `sessionId` and `X-Request-Id`. */
export function createUuid32(): string {
  const bytes = randomBytes(16);
  // RFC 4122 §4.4: version 4, variant 10xx.
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return toHex(bytes);
}

/** A supplemental data id (SDID): two groups of 16 uppercase hex digits, `^[0-9A-F]{16}-[0-9A-F]{16}$`. */
export function createSupplementalDataId(): string {
  const hex = toHex(randomBytes(16)).toUpperCase();
  return `${hex.slice(0, 16)}-${hex.slice(16)}`;
}
