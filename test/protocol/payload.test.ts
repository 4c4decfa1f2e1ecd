/**
 * Payloads travel exactly or are refused by name (issue 9 items 7 and 11): each value below
 * goes through packPayload, real msgpack (the header codec the sockets use) and
 * unpackPayload, and must come back identical (-0 as -0, a BigInt beyond 64 bits, a lone
 * surrogate, a "__proto__" key); each refused value names what it is and where.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { decodeHeader, encodeHeader } from "../../src/comm/stream-channel.js";
import { checkSendable, maxPayloadDepth, packPayload, PayloadError, unpackPayload } from "../../src/protocol/payload.js";
import { toWireError } from "../../src/protocol/wire-error.js";
import * as nd from "../../src/ndarray/index.js";

/** Through the wire as the sockets carry it: msgpack header, frames copied into fresh memory. */
function roundTrip(value: unknown): unknown {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames);
  const header = decodeHeader(encodeHeader([tree])) as unknown[];
  const received = frames.map((frame) => {
    const copy = new Uint8Array(new SharedArrayBuffer(frame.byteLength));
    copy.set(frame);
    return copy;
  });
  return unpackPayload(header[0], received);
}

const protoKey = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;

const exact: Array<[string, unknown]> = [
  ["-0", -0],
  ["NaN and infinities", [NaN, Infinity, -Infinity]],
  ["small BigInts", [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]],
  ["BigInts beyond 64 bits", [2n ** 70n, -(2n ** 200n) + 1n]],
  ["a lone surrogate", "a\ud800b"],
  ["a reversed surrogate pair", "\udc00\ud800"],
  ["NUL bytes", "a\u0000b\u0000"],
  ["undefined inside", [undefined, { u: undefined }]],
  ["a __proto__ own key", protoKey],
  ["a key with a lone surrogate", { "k\udfff": 1 }],
  ["marker-like keys", { $nd: 1 }],
  ["a Map with object keys", new Map<unknown, unknown>([[{ a: 1 }, "object"], [2n, [1, 2]], ["s", new Set([1, "1"])]])],
  ["a Set", new Set([1, "two", null])],
  ["a Date", new Date(1234567)],
  ["an invalid Date", new Date(Number.NaN)],
  ["a RegExp", /a+b/giu],
  ["typed arrays", [new Int8Array([-1]), new Uint8ClampedArray([255]), new BigInt64Array([-(2n ** 63n)]), new BigUint64Array([2n ** 64n - 1n]), new Float32Array([1.5])]],
  ["a DataView", new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)],
  ["an ArrayBuffer", new Uint8Array([9, 8, 7]).buffer],
  ["a null-prototype object", Object.assign(Object.create(null) as object, { a: 1 })],
];

describe("payloads round-trip exactly", () => {
  for (const [name, value] of exact) {
    it(name, () => {
      const back = roundTrip(value);
      if (name === "a null-prototype object") assert.deepEqual({ ...(back as object) }, { a: 1 });
      else if (name === "an invalid Date") assert.ok(back instanceof Date && Number.isNaN(back.getTime())); // NaN !== NaN for deepStrictEqual
      else assert.deepStrictEqual(back, value);
    });
  }
  it("keeps -0 apart from 0 and a SharedArrayBuffer apart from an ArrayBuffer", () => {
    assert.ok(Object.is(roundTrip(-0), -0));
    assert.ok(Object.is((roundTrip({ z: [-0] }) as { z: number[] }).z[0], -0));
    assert.ok(roundTrip(new ArrayBuffer(2)) instanceof ArrayBuffer);
    assert.ok(roundTrip(new SharedArrayBuffer(2)) instanceof SharedArrayBuffer);
  });
  it("keeps a __proto__ key a key, not the prototype", () => {
    const back = roundTrip(protoKey) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back), ["__proto__", "y"]);
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
  });
  it("carries NDArrays inside Maps and Sets, strided views as C-ordered copies", () => {
    const view = nd.transpose(nd.reshape(nd.arange(0, 6, 1, "uint16"), [2, 3]));
    const back = roundTrip(new Map([["v", new Set([view])]])) as Map<string, Set<nd.NDArray>>;
    const [array] = [...(back.get("v") as Set<nd.NDArray>)];
    assert.equal(array.dtype, "uint16");
    assert.deepEqual(array.toArray(), view.toArray());
  });
  it("carries the deepest allowed value and refuses one level more", () => {
    const nest = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    assert.deepStrictEqual(roundTrip(nest(maxPayloadDepth - 1)), nest(maxPayloadDepth - 1));
    assert.throws(() => packPayload(nest(maxPayloadDepth + 1), []), /nested too deeply/);
    let maps: unknown = 1;
    for (let i = 0; i < maxPayloadDepth / 3 - 1; i++) maps = new Map([[i, maps]]);
    assert.deepStrictEqual(roundTrip(maps), maps, "Maps nested as deep as allowed survive real msgpack");
  });
});

class Particle {
  x = 1;
}

const refused: Array<[string, unknown, RegExp]> = [
  ["a Symbol", Symbol("s"), /it is a Symbol \(Symbol\(s\)\)/],
  ["a function", function named() {}, /it is a function \(named\)/],
  ["a class instance", new Particle(), /it is an instance of Particle/],
  ["a subclass of a typed array", new (class Scaled extends Float64Array {})(2), /instance of Scaled/],
  ["a WeakMap", new WeakMap(), /instance of WeakMap/],
  ["a Promise", Promise.resolve(1), /instance of Promise/],
  ["a boxed number", Object(1), /instance of Number/],
  ["symbol keys", { [Symbol("k")]: 1 }, /an object with Symbol keys \(Symbol\(k\)\)/],
  ["a Symbol deep inside", { list: [0, new Map([["k", [Symbol("deep")]]])] }, /the part at \.list\[1\]\[Map value 0\]\[0\] is a Symbol/],
  ["an odd property name", { "odd key": Symbol("q") }, /the part at \["odd key"\] is a Symbol/],
];

describe("payloads that cannot travel are refused by name and place", () => {
  for (const [name, value, expected] of refused) {
    it(name, () => {
      assert.throws(() => packPayload(value, [], "the result of task t-1"), (error: Error) => {
        assert.ok(error instanceof PayloadError);
        assert.match(error.message, /^cannot send the result of task t-1: /);
        assert.match(error.message, expected);
        return true;
      });
      assert.throws(() => checkSendable(value, "x"), PayloadError, "checking says the same as packing");
    });
  }
  it("refuses a structure that contains itself", () => {
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    assert.throws(() => packPayload(loop, []), /contains itself/);
  });
});

describe("errors on the wire", () => {
  it("shows a thrown non-Error as util.inspect does, bounded", () => {
    assert.equal(toWireError({ code: 7 }).message, "a non-Error value was thrown: { code: 7 }");
    assert.equal(toWireError("text").message, "a non-Error value was thrown: 'text'");
    assert.equal(toWireError(Symbol("s")).message, "a non-Error value was thrown: Symbol(s)");
    assert.ok(toWireError({ big: "x".repeat(1e6) }).message.length < 2100);
    assert.ok(toWireError(new Proxy({}, { get: () => { throw new Error("trap"); } })).message.startsWith("a non-Error value was thrown"));
  });
});
