/**
 * Lowering deep graphs without deep recursion (lower.ts). An expression's lower() ensures its
 * inputs (region → ensure), so lowering nests once per level of the graph, and a chain built
 * by a loop (thousands of elementwise steps) would overflow the stack. Past
 * maxLoweringNesting nested ensure() calls, GraphBuilder.ensure first lowers everything the
 * node reads with the post-order walk below, on an explicit stack; the node's own lower()
 * then finds every input done, and graphs shallower than that lower exactly as the nesting
 * takes them.
 */
import type { ArrayNode } from "./expr.js";

/**
 * Nested ensure() calls past which a node's inputs are lowered first: each level takes a few
 * stack frames (ensure, lower, region) and some 300 levels of elementwise steps fit the
 * default stack.
 */
export const maxLoweringNesting = 64;

/** What the walk asks of the graph builder. */
export interface InputLowering {
  /** The array is lowered already, or is a view walked through before. */
  done(node: ArrayNode): boolean;
  /** A view whose inputs are now lowered (views are walked through, not lowered). */
  walkedView(view: ArrayNode): void;
  /** Adds the array's tasks; every array it reads is done by then. */
  lower(node: ArrayNode): void;
}

/**
 * Lowers the arrays `node` reads, each after its own inputs (a post-order walk on an explicit
 * stack). Views are walked through, not lowered: region() follows them to the arrays whose
 * blocks are tasks, and lowers a view itself only when it cannot. The tasks are the ones the
 * nested lowering makes (each array's are made by its own lower(), once); an input its reader
 * never uses (the operation a reduction fuses in) is lowered here anyway, and culled with
 * everything else no output needs (fuse.ts).
 */
export function lowerInputsFirst(node: ArrayNode, builder: InputLowering): void {
  const stack: ArrayNode[] = [];
  // Inputs go on the stack last first: the first is lowered first, as the nesting would.
  const pushInputs = (of: ArrayNode): void => {
    const inputs = of.expr.inputs;
    for (let i = inputs.length - 1; i >= 0; i--) stack.push(inputs[i]);
  };
  pushInputs(node);
  // Arrays whose inputs are on the stack above them: each is done when on top again.
  const expanded = new Set<string>();
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (builder.done(top)) stack.pop();
    else if (!expanded.has(top.name)) {
      expanded.add(top.name);
      pushInputs(top);
    } else {
      stack.pop();
      if (top.expr.view) builder.walkedView(top);
      else builder.lower(top);
    }
  }
}
