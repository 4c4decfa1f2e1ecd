/** One result the data store (data-store.ts) holds: in memory, on disk, or both. */
export interface StoreEntry {
  readonly key: string;
  readonly nbytes: number;
  value: unknown;
  inMemory: boolean;
  /** A complete spill file holding the value, once written. */
  file: string | null;
  diskBytes: number;
  pins: number;
  writing: Promise<void> | null;
  loading: Promise<unknown> | null;
  deleted: boolean;
  /** Writing failed once (not serialisable, I/O error): keep it in memory. */
  unspillable: boolean;
}
