/**
 * Cycles in a directed graph given by a successor function: the strongly connected components
 * that form a cycle (Tarjan's algorithm, iterative, so a chain of thousands of nodes cannot
 * overflow the stack), and one closed path through a component for an error message. Used for
 * `$ref` rings (rings.ts) and by the test that keeps the repository free of import cycles.
 */

/** The components of the graph reachable from `nodes` that form a cycle (more than one node, or a node that is its own successor), each in visiting order. */
export function cyclicComponents<Node>(nodes: Iterable<Node>, successors: (node: Node) => readonly Node[]): Node[][] {
  const indexOf = new Map<Node, number>();
  const lowLink = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const components: Node[][] = [];
  let next = 0;
  for (const start of nodes) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: Node; pending: Node[] }> = [];
    const enter = (node: Node) => {
      indexOf.set(node, next);
      lowLink.set(node, next);
      next += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, pending: [...successors(node)].reverse() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const successor = frame.pending.pop();
      if (successor !== undefined) {
        if (!indexOf.has(successor)) enter(successor);
        else if (onStack.has(successor)) lowLink.set(frame.node, Math.min(lowLink.get(frame.node)!, indexOf.get(successor)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowLink.set(parent.node, Math.min(lowLink.get(parent.node)!, lowLink.get(frame.node)!));
      if (lowLink.get(frame.node) !== indexOf.get(frame.node)) continue;
      const component: Node[] = [];
      let member: Node;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || successors(frame.node).includes(frame.node)) components.push(component.reverse());
    }
  }
  return components;
}

/** The shortest way from `start` back to itself through `members` (breadth first): `[start, …, start]`. */
export function closedPath<Node>(start: Node, members: ReadonlySet<Node>, successors: (node: Node) => readonly Node[]): Node[] {
  const previous = new Map<Node, Node>();
  const queue = [start];
  for (let index = 0; index < queue.length; index += 1) {
    const node = queue[index]!;
    for (const successor of successors(node)) {
      if (!members.has(successor)) continue;
      if (successor === start) {
        const path = [node];
        for (let step = node; step !== start; step = previous.get(step)!) path.unshift(previous.get(step)!);
        return [...path, start];
      }
      if (!previous.has(successor)) {
        previous.set(successor, node);
        queue.push(successor);
      }
    }
  }
  return [start, start];
}
