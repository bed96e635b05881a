/**
 * Synthetic mbox schemas for the generator benchmark: 20 attributes each, with nested objects,
 * enums, arrays and non-identifier keys. Deterministic: the same count gives the same schemas.
 */

/** One synthetic schema file. */
export interface SyntheticSchema {
  mbox: string;
  path: string;
  schema: Record<string, unknown>;
}

function attribute(mboxIndex: number, attributeIndex: number): [string, Record<string, unknown>] {
  const kind = (mboxIndex + attributeIndex) % 7;
  const key = attributeIndex % 4 === 3 ? `feature-${attributeIndex}-flag` : `attribute${attributeIndex}`;
  const description = `Attribute ${attributeIndex} of mbox ${mboxIndex}: what it controls and why.`;
  switch (kind) {
    case 0:
      return [key, { type: "string", description, default: `value-${attributeIndex}` }];
    case 1:
      return [key, { type: "integer", minimum: 0, maximum: 1000, description, default: attributeIndex }];
    case 2:
      return [key, { type: "boolean", description }];
    case 3:
      return [key, { enum: ["control", "variant-a", "variant-b", "variant-c"], description, default: "control" }];
    case 4:
      return [
        key,
        {
          type: "object",
          description,
          properties: {
            label: { type: "string", description: "Text shown." },
            url: { type: "string", pattern: "^/" },
            style: { type: "object", properties: { color: { type: "string" }, size: { enum: ["s", "m", "l"] } } },
          },
          required: ["label"],
        },
      ];
    case 5:
      return [key, { type: "array", description, items: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } }, required: ["id"] } }];
    default:
      return [key, { type: ["number", "null"], description }];
  }
}

/** `count` mbox schemas named `bench-mbox-<n>`. */
export function createSyntheticSchemas(count: number): SyntheticSchema[] {
  return Array.from({ length: count }, (_, mboxIndex) => {
    const mbox = `bench-mbox-${mboxIndex}`;
    const properties = Object.fromEntries(Array.from({ length: 20 }, (_, attributeIndex) => attribute(mboxIndex, attributeIndex)));
    return {
      mbox,
      path: `schemas/${mbox}.schema.json`,
      schema: { type: "object", description: `Offer of mbox ${mbox}.`, properties, required: Object.keys(properties).slice(0, 3) },
    };
  });
}
