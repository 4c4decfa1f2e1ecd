/**
 * Task ordering (a simplified dask.order): outputs are taken in key order, and for each
 * one its not-yet-ordered dependencies are ordered depth-first, dependencies before
 * dependents. Run in this order, a chunked pipeline finishes one output block (and frees
 * what it loaded) before it loads data for the next, which keeps memory bounded; the
 * scheduler breaks ties between runnable tasks by this number. Iterative, so a chain of a
 * million tasks does not overflow the stack.
 */
export interface OrderInput {
  key: string;
  deps: readonly string[];
}

export function computeOrder(tasks: ReadonlyMap<string, OrderInput>, outputs?: readonly string[]): Map<string, number> {
  const order = new Map<string, number>();
  let anyDependencies = false;
  for (const task of tasks.values()) {
    if (task.deps.length > 0) {
      anyDependencies = true;
      break;
    }
  }
  if (!anyDependencies) {
    // Independent tasks (client.map): first come, first served, in the order given.
    for (const key of outputs && outputs.length === tasks.size ? outputs : tasks.keys()) order.set(key, order.size);
    for (const key of tasks.keys()) if (!order.has(key)) order.set(key, order.size);
    return order;
  }
  let sinks: string[];
  if (outputs && outputs.length > 0) sinks = [...outputs];
  else {
    const hasDependents = new Set<string>();
    for (const task of tasks.values()) for (const dep of task.deps) hasDependents.add(dep);
    sinks = [...tasks.keys()].filter((key) => !hasDependents.has(key));
  }
  orderFrom(tasks, sinks.sort(compareKeys), order);
  // Any task not reachable from the sinks (a caller's partial output list) comes last, in key
  // order. Only those are sorted: sorting every key of a million-task graph took seconds.
  if (order.size < tasks.size) orderFrom(tasks, [...tasks.keys()].filter((key) => !order.has(key)).sort(compareKeys), order);
  return order;
}

/**
 * Orders the not-yet-ordered dependencies of each root depth-first, then the root. A task on
 * the stack is marked -1 in `order` (so a cycle cannot loop); the stack is parallel arrays,
 * not an object per frame: this visits every task of a million-task graph.
 */
function orderFrom(tasks: ReadonlyMap<string, OrderInput>, roots: readonly string[], order: Map<string, number>): void {
  let next = 0;
  for (const value of order.values()) if (value >= next) next = value + 1;
  const keys: string[] = [];
  const positions: number[] = [];
  const depsOf: Array<readonly string[]> = [];
  for (const root of roots) {
    if (order.has(root) || !tasks.has(root)) continue;
    keys.push(root);
    positions.push(0);
    depsOf.push(sortedDeps(tasks, root));
    order.set(root, -1);
    while (keys.length > 0) {
      const top = keys.length - 1;
      const deps = depsOf[top];
      if (positions[top] < deps.length) {
        const dep = deps[positions[top]++];
        if (order.has(dep) || !tasks.has(dep)) continue;
        keys.push(dep);
        positions.push(0);
        depsOf.push(sortedDeps(tasks, dep));
        order.set(dep, -1);
      } else {
        order.set(keys[top], next++);
        keys.pop();
        positions.pop();
        depsOf.pop();
      }
    }
  }
}

function sortedDeps(tasks: ReadonlyMap<string, OrderInput>, key: string): readonly string[] {
  const deps = tasks.get(key)?.deps ?? [];
  if (deps.length < 2) return deps;
  // A reduction's members come in key order already (a layer lists them so): no copy, no sort.
  let sorted = true;
  for (let i = 1; i < deps.length && sorted; i++) sorted = compareKeys(deps[i - 1], deps[i]) <= 0;
  return sorted ? deps : [...deps].sort(compareKeys);
}

/**
 * Orders keys as text, except that runs of digits compare as numbers, so "(x, 10)" comes
 * after "(x, 9)". Scans characters instead of splitting: this runs n log n times per graph.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = ca >= 48 && ca <= 57;
    const db = cb >= 48 && cb <= 57;
    if (da && db) {
      let ea = i;
      let eb = j;
      while (ea < a.length && a.charCodeAt(ea) >= 48 && a.charCodeAt(ea) <= 57) ea++;
      while (eb < b.length && b.charCodeAt(eb) >= 48 && b.charCodeAt(eb) <= 57) eb++;
      const na = Number(a.slice(i, ea));
      const nb = Number(b.slice(j, eb));
      if (na !== nb) return na - nb;
      if (ea - i !== eb - j) return (ea - i) - (eb - j);
      i = ea;
      j = eb;
    } else if (ca !== cb) {
      return ca - cb;
    } else {
      i++;
      j++;
    }
  }
  return (a.length - i) - (b.length - j);
}
