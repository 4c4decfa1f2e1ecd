/**
 * Deciding how a JS function can travel to a worker (architecture decision 4):
 * 1. a built-in (tagged with defineBuiltin) travels by name;
 * 2. a module export registered with `exportedFunctions(import.meta.url, { fn })` travels as
 *    module URL + export name (the worker imports the same module from the shared filesystem);
 * 3. otherwise the function must be self-contained and travels as source text. We parse it
 *    (acorn) and list the identifiers it reads that it does not declare itself and that are
 *    not globals: if there are any, it captures variables from its surroundings and would fail
 *    or silently misbehave on a worker, so it is refused now, at submit time, with their names.
 *    `nd` and `ndimage` are the exception: workers bind them to tessera/ndarray and
 *    tessera/ndimage, so block functions can use the usual imports by those names.
 */
import { parseExpressionAt, type Node } from "acorn";
import { type AnyFunction, builtinNameOf } from "../core/builtin.js";
import { TesseraError } from "../core/errors.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { maxFunctionSourceLength } from "../protocol/messages.js";
import { sourceScopeNames } from "./builtin-catalog.js";

export class FunctionTravelError extends TesseraError {
  override name = "FunctionTravelError";
}

const moduleRef = Symbol.for("tessera.module-ref");

/**
 * Registers functions exported from a module so they travel by reference:
 * `export const work = ...; exportedFunctions(import.meta.url, { work });`
 * The names must be the module's export names: workers import the module and take them.
 */
export function exportedFunctions<T extends Record<string, AnyFunction>>(moduleUrl: string, functions: T): T {
  for (const [exportName, fn] of Object.entries(functions)) {
    Object.defineProperty(fn, moduleRef, { value: { module: moduleUrl, export: exportName }, enumerable: false });
  }
  return functions;
}

/** Identifiers a worker provides: JS globals plus the helper esbuild/tsx add for keepNames. */
const knownGlobals = new Set<string>([
  ...Object.getOwnPropertyNames(globalThis),
  "undefined", "NaN", "Infinity", "arguments", "this", "__name", ...sourceScopeNames,
]);

const sourceCache = new WeakMap<AnyFunction, FunctionRef>();

export function functionRefOf(fn: AnyFunction): FunctionRef {
  const builtin = builtinNameOf(fn);
  if (builtin) return { builtin };
  const registered = (fn as unknown as Record<symbol, { module: string; export: string } | undefined>)[moduleRef];
  if (registered) return { module: registered.module, export: registered.export };
  const cached = sourceCache.get(fn);
  if (cached) return cached;
  const ref = selfContainedRef(fn);
  sourceCache.set(fn, ref);
  return ref;
}

function selfContainedRef(fn: AnyFunction): FunctionRef {
  const name = fn.name || "anonymous";
  const text = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}$/.test(text)) {
    throw new FunctionTravelError(
      `function ${name} is native code and cannot be sent to a worker; wrap it: (x) => ${name}(x)`,
    );
  }
  const tooLong = (length: number) => new FunctionTravelError(
    `function ${name} has ${length} characters of source; a function sent by its source may have at most ` +
      `${maxFunctionSourceLength}. Export it from a module and register it with exportedFunctions(import.meta.url, { ${name} })`,
  );
  if (text.length > maxFunctionSourceLength) throw tooLong(text.length);
  const source = asExpression(text, name);
  if (source.length > maxFunctionSourceLength) throw tooLong(source.length);
  const free = freeIdentifiers(source).filter((id) => !knownGlobals.has(id));
  if (free.length > 0) {
    throw new FunctionTravelError(
      `function ${name} uses ${free.map((v) => `"${v}"`).join(", ")} from its surroundings, so it cannot run on a ` +
        `worker. Pass ${free.length === 1 ? "it" : "them"} as arguments, use a built-in, or export the function ` +
        `from a module and register it with exportedFunctions(import.meta.url, { ${name} }).`,
    );
  }
  return { source, name };
}

/** Method shorthand (`run(x) { … }`) is not an expression; turn it into a function expression. */
function asExpression(text: string, name: string): string {
  try {
    parseExpressionAt(`(${text})`, 0, { ecmaVersion: "latest" });
    return text;
  } catch {
    const prefixed = /^async\s/.test(text) ? `async function ${text.replace(/^async\s+/, "")}` : `function ${text}`;
    try {
      parseExpressionAt(`(${prefixed})`, 0, { ecmaVersion: "latest" });
      return prefixed;
    } catch (error) {
      throw new FunctionTravelError(`cannot read the source of function ${name} to send it to a worker`, { cause: error });
    }
  }
}

type AnyNode = Node & Record<string, unknown>;

/** Identifiers read but not declared anywhere inside the function (scopes flattened). */
function freeIdentifiers(source: string): string[] {
  const root = parseExpressionAt(`(${source})`, 0, { ecmaVersion: "latest" }) as AnyNode;
  const declared = new Set<string>();
  const used = new Set<string>();

  const declarePattern = (pattern: AnyNode | null | undefined): void => {
    if (!pattern) return;
    switch (pattern.type) {
      case "Identifier": declared.add(pattern.name as string); break;
      case "ObjectPattern":
        for (const property of pattern.properties as AnyNode[]) {
          if (property.type === "RestElement") declarePattern(property.argument as AnyNode);
          else {
            if (property.computed) visit(property.key as AnyNode);
            declarePattern(property.value as AnyNode);
          }
        }
        break;
      case "ArrayPattern": for (const element of pattern.elements as AnyNode[]) declarePattern(element); break;
      case "RestElement": declarePattern(pattern.argument as AnyNode); break;
      case "AssignmentPattern": declarePattern(pattern.left as AnyNode); visit(pattern.right as AnyNode); break;
      default: visit(pattern);
    }
  };

  const visit = (node: AnyNode | null | undefined): void => {
    if (!node || typeof node.type !== "string") return;
    switch (node.type) {
      case "Identifier": used.add(node.name as string); return;
      case "FunctionExpression": case "FunctionDeclaration": case "ArrowFunctionExpression":
        if (node.id) declared.add((node.id as AnyNode).name as string);
        for (const param of node.params as AnyNode[]) declarePattern(param);
        visit(node.body as AnyNode);
        return;
      case "ClassDeclaration": case "ClassExpression":
        if (node.id) declared.add((node.id as AnyNode).name as string);
        visit(node.superClass as AnyNode);
        visit(node.body as AnyNode);
        return;
      case "VariableDeclarator": declarePattern(node.id as AnyNode); visit(node.init as AnyNode); return;
      case "CatchClause": declarePattern(node.param as AnyNode); visit(node.body as AnyNode); return;
      case "MemberExpression":
        visit(node.object as AnyNode);
        if (node.computed) visit(node.property as AnyNode);
        return;
      case "Property": case "MethodDefinition": case "PropertyDefinition":
        // A key is a name, not a read, unless computed; a shorthand `{ x }` reads x as its value.
        if (node.computed) visit(node.key as AnyNode);
        visit(node.value as AnyNode);
        return;
      case "LabeledStatement": visit(node.body as AnyNode); return;
      case "BreakStatement": case "ContinueStatement": return;
      case "MetaProperty": return;
      default:
        for (const [field, value] of Object.entries(node)) {
          if (field === "type" || field === "start" || field === "end" || field === "loc") continue;
          if (Array.isArray(value)) for (const child of value) visit(child as AnyNode);
          else if (value && typeof value === "object") visit(value as AnyNode);
        }
    }
  };

  visit(root);
  return [...used].filter((id) => !declared.has(id));
}
