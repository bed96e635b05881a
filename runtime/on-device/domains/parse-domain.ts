/**
 * Page and referring domain parts for on-device rules, as Adobe's Node.js SDK computes them with
 * the Public Suffix List (`parseDomainPsl` over psl, TARGET-PROTOCOL.md §10.2): a UK shop's
 * `shop.example.co.uk` is domain `example.co.uk`, subdomain `shop`, top-level domain `co.uk`. A host
 * that psl does not accept (unlisted, `.local`, an IP address, invalid labels) is its own domain.
 *
 * The list is a table of its own (public-suffix-list.ts, about 32 kB gzipped); an app that does
 * not need it passes Adobe's `parseDomainImpl` option to replace it with a function of its own.
 */
import { PUBLIC_SUFFIX_TRIE } from "./public-suffix-list.js";
import { toASCII } from "./punycode.js";

/** Domain parts of a host, as rules read them (`page.domain`, `page.subdomain`, `page.topLevelDomain`). */
export interface DomainParts {
  subdomain: string;
  domain: string;
  topLevelDomain: string;
}

interface SuffixNode {
  /** The label as the list writes it. */
  label: string;
  /** `""` for a plain rule, `"*"` wildcard, `"!"` exception; `undefined` when the node has no rule. */
  mark: string | undefined;
  /** Children by the punycode of their label. */
  children: Map<string, SuffixNode> | undefined;
}

let trie: SuffixNode | undefined;

// Decoded once, on the first lookup: `[*|!]label[?]{children}` nodes separated by commas.
function decodeTrie(): SuffixNode {
  const root: SuffixNode = { label: "", mark: undefined, children: new Map() };
  const stack: SuffixNode[] = [root];
  const text = PUBLIC_SUFFIX_TRIE;
  let position = 0;
  let last: SuffixNode | undefined;
  while (position < text.length) {
    const character = text[position]!;
    if (character === ",") {
      position += 1;
    } else if (character === "{") {
      last!.children = new Map();
      stack.push(last!);
      position += 1;
    } else if (character === "}") {
      stack.pop();
      position += 1;
    } else {
      let end = position;
      while (end < text.length && !",{}".includes(text[end]!)) end += 1;
      let token = text.slice(position, end);
      position = end;
      let mark: string | undefined = "";
      if (token[0] === "*" || token[0] === "!") {
        mark = token[0];
        token = token.slice(1);
      }
      if (token.endsWith("?")) {
        mark = undefined;
        token = token.slice(0, -1);
      }
      last = { label: token, mark, children: undefined };
      stack.at(-1)!.children!.set(toASCII(token), last);
    }
  }
  return root;
}

/** The listed suffix of `asciiDomain` psl would pick: its labels as listed, and its mark. */
function findRule(asciiDomain: string): { labels: string[]; mark: string } | undefined {
  trie ??= decodeTrie();
  const asciiLabels = asciiDomain.split(".");
  let node = trie;
  const path: string[] = [];
  let found: { labels: string[]; mark: string } | undefined;
  for (let index = asciiLabels.length - 1; index >= 0; index -= 1) {
    const next = node.children?.get(asciiLabels[index]!);
    if (!next) break;
    node = next;
    path.unshift(next.label);
    if (next.mark !== undefined) found = { labels: [...path], mark: next.mark };
  }
  return found;
}

const VALID_LABEL = /^[a-z0-9-]+$/;

// psl's validation, on the punycode of the domain.
function isValidDomain(domain: string): boolean {
  const ascii = toASCII(domain);
  if (ascii.length < 1 || ascii.length > 255) return false;
  return ascii.split(".").every((label) => label.length > 0 && label.length <= 63 && label[0] !== "-" && label.at(-1) !== "-" && VALID_LABEL.test(label));
}

/** Domain parts of `host` by psl's rules, as Adobe's `parseDomainPsl`. */
export function parseDomain(host: string): DomainParts {
  const unlisted: DomainParts = { subdomain: "", domain: host, topLevelDomain: "" };
  let domain = host.toLowerCase();
  if (domain.endsWith(".")) domain = domain.slice(0, -1);
  if (!isValidDomain(domain)) return unlisted;
  const domainParts = domain.split(".");
  if (domainParts.at(-1) === "local") return unlisted;
  const rule = findRule(toASCII(domain));
  // psl reports an unlisted suffix as not valid, and Adobe then keeps the host whole.
  if (!rule) return unlisted;

  const tldParts = [...rule.labels];
  const privateParts = domainParts.slice(0, domainParts.length - tldParts.length);
  if (rule.mark === "!") privateParts.push(tldParts.shift()!);
  if (rule.mark === "*" && privateParts.length > 0) tldParts.unshift(privateParts.pop()!);
  if (privateParts.length === 0) return unlisted;
  const sld = privateParts.pop()!;
  const isPunycode = domain.includes("xn--");
  let registered = `${sld}.${tldParts.join(".")}`;
  let subdomain = privateParts.join(".");
  if (isPunycode) {
    registered = toASCII(registered);
    subdomain = toASCII(subdomain);
  }
  return {
    subdomain: subdomain.startsWith("www") ? subdomain.substring(4) : subdomain,
    domain: registered,
    topLevelDomain: tldParts.join("."),
  };
}
