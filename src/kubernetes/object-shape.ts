/**
 * Checks a plain JSON object against the Kubernetes OpenAPI shapes that
 * `@kubernetes/client-node` carries: every model class (V1Pod, V1Container, …) lists its
 * fields with their types (`getAttributeTypeMap`).
 *
 * Why: the client serialises only the fields its models know, so a misspelt field in a
 * pod template (`imagePullPolicyy`, `restartpolicy`) would be dropped on the way to the API
 * server without a word, and a YAML number where Kubernetes wants a string (`args:
 * [--nthreads, 2]`) is refused by the server with a message that does not name the file.
 * Both are found here, with the path of the field.
 */
import * as models from "@kubernetes/client-node";

export interface ShapeProblem {
  /** JSON path of the field, e.g. "spec.containers[0].args[3]". */
  path: string;
  problem: string;
}

interface AttributeType {
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): AttributeType[] };

const arrayType = /^Array<(.*)>$/;
const mapType = /^\{ \[key: string\]: (.*); \}$/;

function modelClass(typeName: string): ModelClass | undefined {
  const candidate = (models as unknown as Record<string, unknown>)[typeName];
  return typeof candidate === "function" && "getAttributeTypeMap" in candidate ? (candidate as unknown as ModelClass) : undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/** The JSON field names of a client model ("V1Container" → ["args", "command", …]). */
export function modelFieldNames(typeName: string): string[] {
  return modelClass(typeName)?.getAttributeTypeMap().map((attribute) => attribute.baseName) ?? [];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * The problems of `value` as a `typeName` (a client model name such as "V1Pod"): fields the
 * model does not have, and values of the wrong kind. Empty when the object is well formed.
 */
export function shapeProblems(value: unknown, typeName: string, path = ""): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  check(value, typeName, path, problems);
  return problems;
}

function check(value: unknown, typeName: string, path: string, problems: ShapeProblem[]): void {
  const where = path || "(top level)";
  const wrong = (expected: string) => problems.push({ path: where, problem: `expected ${expected}, got ${describe(value)}` });
  const array = arrayType.exec(typeName);
  if (array) {
    if (!Array.isArray(value)) return void wrong("a list");
    value.forEach((item, index) => check(item, array[1], `${path}[${index}]`, problems));
    return;
  }
  const map = mapType.exec(typeName);
  if (map) {
    if (!isPlainObject(value)) return void wrong("a mapping");
    for (const [key, item] of Object.entries(value)) check(item, map[1], path ? `${path}.${key}` : key, problems);
    return;
  }
  switch (typeName) {
    case "any":
      return;
    case "string":
      if (typeof value !== "string") wrong(typeof value === "number" || typeof value === "boolean" ? "a string (quote it in YAML)" : "a string");
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) wrong("a number");
      return;
    case "boolean":
      if (typeof value !== "boolean") wrong("true or false");
      return;
    case "IntOrString":
      if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value))) wrong("an integer or a string");
      return;
    case "Date":
    case "V1MicroTime":
      if (typeof value !== "string" && !(value instanceof Date)) wrong("a timestamp");
      return;
    default:
      break;
  }
  const model = modelClass(typeName);
  if (!model) return; // a type the client leaves open
  if (!isPlainObject(value)) return void wrong(`a mapping (${typeName.replace(/^V1/, "")})`);
  const fields = new Map(model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]));
  for (const [key, item] of Object.entries(value)) {
    const fieldPath = path ? `${path}.${key}` : key;
    const fieldType = fields.get(key);
    if (fieldType === undefined) {
      const near = [...fields.keys()].find((name) => editDistance(name.toLowerCase(), key.toLowerCase()) <= 2);
      problems.push({ path: fieldPath, problem: `is not a field of ${typeName.replace(/^V1/, "")}${near ? ` (did you mean ${near}?)` : ""}` });
      continue;
    }
    check(item, fieldType, fieldPath, problems);
  }
}

/** Levenshtein distance, for "did you mean" on misspelt fields. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
