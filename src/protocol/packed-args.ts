/**
 * A task's arguments as the scheduler keeps them from intake to dispatch: the msgpack bytes
 * of the argument tree instead of the decoded tree. The scheduler never looks inside a task's
 * arguments, only passes them on in compute-task, and a million decoded trees (an object,
 * arrays and strings for every step of every fused task) were most of its memory per task;
 * packed, they take the few hundred bytes they take on the wire. Packed with the same
 * msgpack settings as the wire (comm/stream-channel.ts), so unpacking gives back exactly the
 * tree that would have travelled.
 */
import { Packr } from "msgpackr";

const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export class PackedArgs {
  private constructor(readonly bytes: Uint8Array) {}

  static pack(args: unknown): PackedArgs {
    return new PackedArgs(packr.pack(args));
  }

  unpack(): unknown {
    return packr.unpack(this.bytes);
  }
}

/** The argument tree of a task's arguments, packed or not. */
export function unpackArgs(args: unknown): unknown {
  return args instanceof PackedArgs ? args.unpack() : args;
}
