/**
 * `$ref` rings that never reach a nested value: definitions that are, through `anyOf`, `allOf`,
 * `oneOf` and `$ref`s alone, members of themselves (`a: { anyOf: [{ $ref: a }, { type: string }] }`).
 * Recursion through a property or an array item is fine: each step checks a smaller value. A ring
 * without one checks the same value again and again, so TypeScript calls its alias circular
 * (TS2456) and a validator never returns. JSON Schema leaves such schemas undefined (2020-12
 * core §9.4.1); mboxgen gives them the inductive reading, the least fixed point: a value matches
 * what it can be shown to match in finitely many steps, so the way back into the ring shows
 * nothing. `anyOf [a, string]` is `string`; an `anyOf` member that matches only through the ring
 * adds nothing and goes.
 *
 * Two kinds of ring have no reading worth generating and are refused, naming the ring: one through
 * `oneOf`, which counts matching members (leaving one out changes the count, so the schema
 * contradicts itself), and one that admits no value at all once reduced (`a: { $ref: a }`,
 * `a: { allOf: [{ $ref: a }, …] }`), which is certainly not what its author meant.
 *
 * The reduction unfolds each ring member into the definitions it reaches unguarded (Bekić's rule:
 * for unions and intersections, the least solution of `x = F(x)` is `F(never)`), so the rest of the
 * pipeline sees ordinary definitions whose references all pass through nested values.
 */
import { closedPath, cyclicComponents } from "./graph-cycles.js";
import type { DefinitionIr, TypeIr } from "./ir.js";

/** Why a ring is refused. */
export type RingProblemReason = "oneOf" | "empty" | "too-large";

/** A refused ring: its definitions in order, from the first back to it, and every definition of its component. */
export interface RingProblem {
  ring: string[];
  reason: RingProblemReason;
  /** The strongly connected component the ring belongs to: all of it is refused. */
  component: string[];
}

/** What reducing rings gives: new types for the ring members that reduce, and the rings refused. */
export interface RingReduction {
  types: Map<string, TypeIr>;
  problems: RingProblem[];
}

/** How many nodes unfolding one ring may create before the ring is refused as too large. */
export const MAX_RING_NODES = 200_000;

/** How deep the combinators of an unfolded ring member may nest: the limit a schema has (MAX_DEPTH of build-ir.ts). */
const MAX_UNFOLDED_NESTING = 200;

const NEVER: TypeIr = { kind: "never" };

/** The definitions `type` refers to without passing through an object or an array. */
export function unguardedReferences(type: TypeIr, into: Set<string> = new Set()): Set<string> {
  const pending = [type];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    if (current.kind === "ref") into.add(current.id);
    else if (current.kind === "anyOf" || current.kind === "oneOf" || current.kind === "allOf") pending.push(...current.members);
  }
  return into;
}

/** Whether a type plainly admits no value (a superset test: `false` means "may admit some"). */
function admitsNothing(type: TypeIr): boolean {
  switch (type.kind) {
    case "never":
      return true;
    case "literal":
      return type.values.length === 0;
    case "anyOf":
    case "oneOf":
      return type.members.every(admitsNothing);
    case "allOf":
      return type.members.some(admitsNothing);
    default:
      return false;
  }
}

class RingTooLarge extends Error {}

// Members of a combinator of `kind`, with members of the same kind spliced in (without spreading, which a long list would overflow).
function flattenInto(kind: "anyOf" | "allOf", members: readonly TypeIr[]): TypeIr[] {
  const flat: TypeIr[] = [];
  for (const member of members) {
    if (member.kind !== kind) flat.push(member);
    else for (const inner of member.members) flat.push(inner);
  }
  return flat;
}

/** What unfolding one ring shares across its members: the nodes it may still create. */
interface UnfoldBudget {
  nodes: number;
}

/**
 * Unfolds one ring member: its type with every unguarded reference to an unsolved ring member
 * inlined, and every way back to a member on the way replaced by `never` (it shows nothing).
 * References to solved members stay references: those are ring-free now. A way back that crosses
 * a `oneOf` is reported instead.
 */
function unfold(start: string, unsolved: ReadonlySet<string>, types: ReadonlyMap<string, TypeIr>, budget: UnfoldBudget, onOneOf: (ring: string[]) => void): TypeIr {
  // Iterative (a frame per node on an explicit stack), so a ring of thousands of members cannot
  // overflow the call stack. A frame is a node whose members are being unfolded, or a ring member
  // entered (popped from the path when its type is done).
  interface Frame {
    type: TypeIr & { kind: "anyOf" | "allOf" | "oneOf" };
    /** How many ring members were on the path when the innermost enclosing oneOf was entered. */
    oneOfDepth: number;
    done: TypeIr[];
    /** Set when this frame entered a ring member: it leaves the path with the frame. */
    entered?: boolean;
  }
  const path: string[] = [start];
  const frames: Frame[] = [];
  const nestingOf = new WeakMap<TypeIr, number>();
  let result: TypeIr | undefined;
  // Either the unfolded node at once, or a frame pushed to unfold its members.
  const begin = (type: TypeIr, oneOfDepth: number, entering: boolean): TypeIr | undefined => {
    budget.nodes -= 1;
    if (budget.nodes < 0) throw new RingTooLarge();
    if (type.kind === "ref") {
      const back = path.indexOf(type.id);
      if (back !== -1) {
        if (back < oneOfDepth) onOneOf([...path.slice(back), type.id]);
        return finish(NEVER, entering);
      }
      if (!unsolved.has(type.id)) return finish(type, entering);
      path.push(type.id);
      return begin(types.get(type.id)!, oneOfDepth, true);
    }
    if (type.kind !== "anyOf" && type.kind !== "allOf" && type.kind !== "oneOf") return finish(type, entering);
    frames.push({ type, oneOfDepth: type.kind === "oneOf" ? path.length : oneOfDepth, done: [], entered: entering });
    return undefined;
  };
  // A ring member's type is done: it leaves the path.
  const finish = (type: TypeIr, entering: boolean): TypeIr => {
    if (entering) path.pop();
    return type;
  };
  let value = begin(types.get(start)!, 0, false);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (value !== undefined) frame.done.push(value);
    value = undefined;
    if (frame.done.length < frame.type.members.length) {
      value = begin(frame.type.members[frame.done.length]!, frame.oneOfDepth, false);
      continue;
    }
    frames.pop();
    // anyOf in anyOf and allOf in allOf are one combinator: a chain of rings stays flat.
    const kind = frame.type.kind;
    const members = kind === "oneOf" ? frame.done : flattenInto(kind, frame.done);
    let nesting = 1;
    for (const member of members) nesting = Math.max(nesting, 1 + (nestingOf.get(member) ?? 0));
    if (nesting > MAX_UNFOLDED_NESTING) throw new RingTooLarge();
    const node: TypeIr = { kind, members };
    nestingOf.set(node, nesting);
    value = finish(node, frame.entered === true);
  }
  result = value;
  return result!;
}

/**
 * Finds the rings among `ids` (definitions built together; a definition built earlier never
 * refers to a later one, so a ring is always among those built together) and reduces them.
 * Pure: `definitions` is read, never changed.
 *
 * By Bekić's theorem, once one member of a ring is solved (unfolded), the others' least solution
 * is their own type with that member as a constant; so only a feedback set of members is unfolded
 * (one for a simple ring: linear, not quadratic), picked again among the rings that remain, and
 * every other member keeps its type, whose references then run without a ring.
 */
export function reduceRings(definitions: ReadonlyMap<string, DefinitionIr>, ids: readonly string[]): RingReduction {
  const reduction: RingReduction = { types: new Map(), problems: [] };
  const successorsIn = (types: ReadonlyMap<string, TypeIr>, within: ReadonlySet<string> | undefined) => (id: string) =>
    [...unguardedReferences(types.get(id) ?? NEVER)].filter((target) => types.has(target) && (within === undefined || within.has(target)));
  const original = new Map([...definitions].map(([id, definition]) => [id, definition.type]));
  for (const ring of cyclicComponents(ids, successorsIn(original, undefined))) {
    const members = new Set(ring);
    const types = new Map(original);
    const unsolved = new Set(ring);
    const budget: UnfoldBudget = { nodes: MAX_RING_NODES };
    let oneOfRing: string[] | undefined;
    let empty: string | undefined;
    try {
      for (let remaining = cyclicComponents(ring, successorsIn(types, unsolved)); remaining.length > 0 && !oneOfRing && empty === undefined; remaining = cyclicComponents([...unsolved], successorsIn(types, unsolved))) {
        for (const component of remaining) {
          const picked = pickFeedbackMember(component, successorsIn(types, unsolved));
          const unfolded = unfold(picked, unsolved, types, budget, (found) => (oneOfRing ??= found));
          types.set(picked, unfolded);
          unsolved.delete(picked);
          if (admitsNothing(unfolded)) empty ??= picked;
        }
      }
    } catch (error) {
      if (!(error instanceof RingTooLarge)) throw error;
      reduction.problems.push({ reason: "too-large", ring: closedPath(ring[0]!, members, successorsIn(original, members)), component: ring });
      continue;
    }
    if (oneOfRing) reduction.problems.push({ reason: "oneOf", ring: oneOfRing, component: ring });
    else if (empty !== undefined) reduction.problems.push({ reason: "empty", ring: closedPath(empty, members, successorsIn(original, members)), component: ring });
    else for (const id of ring) if (types.get(id) !== original.get(id)) reduction.types.set(id, types.get(id)!);
  }
  return reduction;
}

// The member that breaks the most of a component's ring edges: most references in and out, first met on a tie.
function pickFeedbackMember(component: readonly string[], successors: (id: string) => string[]): string {
  const members = new Set(component);
  const degree = new Map(component.map((id) => [id, 0]));
  for (const id of component) {
    for (const target of successors(id)) {
      if (!members.has(target)) continue;
      degree.set(id, degree.get(id)! + 1);
      degree.set(target, degree.get(target)! + 1);
    }
  }
  return component.reduce((best, id) => (degree.get(id)! > degree.get(best)! ? id : best));
}
