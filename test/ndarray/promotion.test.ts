import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { type AnchorSuite, loadSuite } from "./numpy-anchor.js";

interface PromotionCase { a: nd.DType; b: nd.DType; result: nd.DType }

describe("promoteTypes against np.promote_types", () => {
  let suite: AnchorSuite<PromotionCase>;
  before(() => { suite = loadSuite<PromotionCase>("promotion"); });

  it("is identical to NumPy's table for all 121 pairs of supported dtypes", () => {
    assert.equal(suite.cases.length, 121);
    const wrong = suite.cases.filter((c) => nd.promoteTypes(c.a, c.b) !== c.result).map((c) => `${c.a}+${c.b}: ${nd.promoteTypes(c.a, c.b)} vs ${c.result}`);
    assert.deepEqual(wrong, []);
  });

  it("refuses unknown dtypes, naming them", () => {
    assert.throws(() => nd.promoteTypes("float16", "int8"), { name: "InvalidOptionError", message: /"float16"/ });
  });
});

describe("resultType follows NumPy 2 (NEP 50)", () => {
  // The table of array-ndimage.md §2 and NEP 50's documented examples.
  const table: Array<[Array<nd.Operand | nd.DType>, nd.DType]> = [
    [["uint16", "uint16"], "uint16"],
    [["uint16", "int16"], "int32"],
    [["uint16", "float32"], "float32"],
    [["uint16", "float64"], "float64"],
    [["uint16", 1], "uint16"],
    [["uint8", 300], "uint8"],
    [["uint8", 2.5], "float64"],
    [["float32", 3e10], "float32"],
    [["float32", 0.1], "float32"],
    [["bool", 1], "int64"],
    [["bool", true], "bool"],
    [["int8", 1n], "int8"],
    [[1, 2], "int64"],
    [[1, 2.5], "float64"],
    [["uint64", "int64"], "float64"],
    [["int32", "float32"], "float64"],
  ];
  for (const [operands, expected] of table) {
    it(`resultType(${operands.map(String).join(", ")}) is ${expected}`, () => {
      assert.equal(nd.resultType(...operands), expected);
    });
  }

  it("takes arrays as strong operands", () => {
    assert.equal(nd.resultType(nd.zeros([2], "uint16"), 7), "uint16");
    assert.equal(nd.resultType(nd.zeros([2], "uint16"), nd.zeros([], "int8")), "int32");
  });
});
