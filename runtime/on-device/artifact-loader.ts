/**
 * Getting the rules artifact (TARGET-PROTOCOL.md §10.3): Adobe's default URL, downloads through the
 * client's `fetch` with the runtime's retry policy, `If-None-Match` with the last ETag and a 304
 * that reuses the last artifact, the obfuscated `.bin` format, and the version check.
 */
import type { DecisioningArtifact } from "./artifact-types.js";
import { TargetArtifactError } from "../platform/errors.js";
import { fetchWithRetries, type FetchResponse, type PostJsonOptions } from "../platform/http.js";

/** Where Adobe's SDK looks for the artifact when no `artifactLocation` is given. */
const CDN = "https://assets.adobetarget.com";
const SUPPORTED_MAJOR_VERSION = 1;
const BIN_HEADER_LENGTH = 40;
const BIN_PREFIX = "ATOD";
const BIN_VERSION = 1;

/** The options that say where the artifact is and how it is encoded. */
export interface ArtifactLocationOptions {
  client: string;
  environment?: string | undefined;
  propertyToken?: string | undefined;
  artifactLocation?: string | undefined;
  artifactFormat?: string | undefined;
}

/** The artifact URL, as Adobe's `determineArtifactLocation`: `artifactLocation` as it is, else the CDN path. */
export function artifactLocationOf(options: ArtifactLocationOptions): string {
  if (typeof options.artifactLocation === "string") return options.artifactLocation;
  const environment = options.environment ? options.environment.toLowerCase() : "production";
  const file = options.artifactFormat === "bin" ? "rules.bin" : "rules.json";
  return [CDN, options.client, environment, `v${SUPPORTED_MAJOR_VERSION}`, options.propertyToken, file].filter((part) => part !== undefined).join("/");
}

/** `"bin"` when asked for, or when the URL ends in `.bin`; else `"json"`. */
export function artifactFormatOf(options: ArtifactLocationOptions, location: string): "json" | "bin" {
  if (typeof options.artifactFormat === "string") return options.artifactFormat === "bin" ? "bin" : "json";
  return /.+\.bin$/i.test(location) ? "bin" : "json";
}

/**
 * Reads an obfuscated `.bin` artifact: a 40-byte header (`ATOD:001` and a 32-character key), then
 * the JSON XOR-ed with the UTF-8 bytes of `organizationId + key`.
 */
export function deobfuscateArtifact(buffer: ArrayBuffer, organizationId: string, url?: string): unknown {
  const decoder = new TextDecoder("utf-8");
  const bytes = new Uint8Array(buffer);
  const header = decoder.decode(bytes.subarray(0, BIN_HEADER_LENGTH));
  const [prefix, version] = header.slice(0, 8).split(":");
  if (bytes.length < BIN_HEADER_LENGTH || prefix !== BIN_PREFIX || parseInt(version ?? "", 10) !== BIN_VERSION) {
    throw new TargetArtifactError(url, `is not an obfuscated artifact this runtime reads (header "${header.slice(0, 8)}", expected "ATOD:001")`);
  }
  const key = new TextEncoder().encode(organizationId + header.slice(8, 41));
  const payload = bytes.subarray(BIN_HEADER_LENGTH);
  const plain = new Uint8Array(payload.length);
  for (let index = 0; index < payload.length; index += 1) plain[index] = payload[index]! ^ key[index % key.length]!;
  try {
    return JSON.parse(decoder.decode(plain));
  } catch (error) {
    throw new TargetArtifactError(url, "could not be read as JSON after deobfuscation (is organizationId right?)", error);
  }
}

/** Checks an artifact's shape and major version; throws `TargetArtifactError` saying what is wrong. */
export function checkArtifact(value: unknown, url?: string): DecisioningArtifact {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new TargetArtifactError(url, "is not a JSON object");
  const artifact = value as Partial<DecisioningArtifact>;
  if (typeof artifact.version !== "string") throw new TargetArtifactError(url, 'has no "version"');
  const major = parseInt(artifact.version.split(".")[0]!, 10);
  if (major !== SUPPORTED_MAJOR_VERSION) {
    // Adobe's message, so that code matching on it keeps working.
    throw new TargetArtifactError(url, `has version ${artifact.version}: The decisioning artifact version (${artifact.version}) is not supported. This library is compatible with this major version: ${SUPPORTED_MAJOR_VERSION}`);
  }
  if (typeof artifact.rules !== "object" || artifact.rules === null) throw new TargetArtifactError(url, 'has no "rules"');
  return artifact as DecisioningArtifact;
}

/** What a download brought: a new artifact, or `undefined` for a 304 (the last one still holds). */
export interface DownloadedArtifact {
  artifact: DecisioningArtifact | undefined;
  /** The raw artifact as served (for the `artifactDownloadSucceeded` event). */
  payload: unknown;
  etag: string | undefined;
  headers: FetchResponse["headers"];
}

/**
 * Downloads the artifact once (with retries). Sends `If-None-Match` when `etag` is given;
 * a 304 resolves with `artifact: undefined`.
 */
export function downloadArtifact(
  url: string,
  format: "json" | "bin",
  organizationId: string,
  etag: string | undefined,
  http: PostJsonOptions,
): Promise<DownloadedArtifact> {
  const headers: Record<string, string> = etag === undefined ? {} : { "If-None-Match": etag };
  return fetchWithRetries("GET", url, headers, undefined, http, async (response) => {
    if (response.status === 304) {
      await response.body?.cancel().catch(() => undefined);
      return { artifact: undefined, payload: undefined, etag, headers: response.headers };
    }
    let payload: unknown;
    if (format === "bin") {
      if (typeof response.arrayBuffer !== "function") throw new TargetArtifactError(url, "is binary, and the client's fetch responses have no arrayBuffer()");
      payload = deobfuscateArtifact(await response.arrayBuffer(), organizationId, url);
    } else {
      const text = await response.text();
      try {
        payload = JSON.parse(text);
      } catch (error) {
        throw new TargetArtifactError(url, `is not JSON (${text.slice(0, 60)})`, error);
      }
    }
    return { artifact: checkArtifact(payload, url), payload, etag: response.headers.get("etag") ?? undefined, headers: response.headers };
  });
}
