/** The assertion the argument-count tests share: `call` throws an InvalidOptionError with `expected` as its message. */
import assert from "node:assert/strict";

export function refused(call: () => unknown, expected: string | RegExp, what: string): void {
  assert.throws(call, (error: Error) => {
    assert.equal(error.name, "InvalidOptionError", `${what}: ${error.message}`);
    if (typeof expected === "string") assert.equal(error.message, expected, what);
    else assert.match(error.message, expected, what);
    return true;
  }, `${what} was not refused`);
}
