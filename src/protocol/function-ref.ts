/**
 * How a function travels: a built-in by stable name, a module export by URL + export name
 * (a shared filesystem is normal on HPC), or a self-contained function by its source.
 */
export type FunctionRef =
  | { builtin: string }
  | { module: string; export: string }
  | { source: string; name: string };
