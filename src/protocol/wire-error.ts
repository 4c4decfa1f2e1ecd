/**
 * Errors as they cross the wire: enough to re-raise them on the other side with the remote
 * stack and the task that raised them. A thrown value that is not an Error (an object, a
 * string, a number) is shown as util.inspect prints it, bounded, so the user sees what was
 * thrown rather than "[object Object]".
 */
import { inspect } from "node:util";

/** An error as it crosses the wire: enough to re-raise it with the remote stack. */
export interface WireError {
  name: string;
  message: string;
  stack: string;
  /** The task whose execution raised it, when there is one. */
  taskKey?: string;
}

const maxStackCharacters = 10_000;
const maxThrownValueCharacters = 2_000;

/** A thrown value that is not an Error, as a user would want to read it. */
export function describeThrownValue(value: unknown): string {
  let text: string;
  try {
    text = inspect(value, { depth: 3, breakLength: Infinity, maxArrayLength: 20, maxStringLength: 500 });
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > maxThrownValueCharacters ? `${text.slice(0, maxThrownValueCharacters)}…` : text;
}

export function toWireError(error: unknown, taskKey?: string): WireError {
  if (error instanceof Error) {
    const wire: WireError = { name: String(error.name), message: String(error.message), stack: String(error.stack ?? "").slice(0, maxStackCharacters) };
    const key = taskKey ?? (error as { taskKey?: unknown }).taskKey;
    if (typeof key === "string" && key) wire.taskKey = key;
    return wire;
  }
  return { name: "Error", message: `a non-Error value was thrown: ${describeThrownValue(error)}`, stack: "", ...(taskKey ? { taskKey } : {}) };
}

/** A remote error re-raised locally: same name and message, the remote stack, the task key. */
export class RemoteError extends Error {
  readonly taskKey: string | undefined;
  readonly remoteStack: string;
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.taskKey = wire.taskKey;
    this.remoteStack = wire.stack;
    const where = wire.taskKey ? ` (task ${wire.taskKey})` : "";
    this.stack = `${wire.name}: ${wire.message}${where}\n--- remote traceback ---\n${wire.stack}`;
  }
}

export function fromWireError(body: unknown): RemoteError {
  const record = (body ?? {}) as Partial<WireError>;
  return new RemoteError({
    name: typeof record.name === "string" ? record.name : "Error",
    message: typeof record.message === "string" ? record.message : "remote error",
    stack: typeof record.stack === "string" ? record.stack : "",
    ...(typeof record.taskKey === "string" ? { taskKey: record.taskKey } : {}),
  });
}
