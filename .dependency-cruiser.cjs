// The layering of ../shared/design/architecture.md, checked on every test run.
// A folder may import its own layer and the layers below it, never above;
// a few same-layer pairs are forbidden too. Cycles are forbidden everywhere.
const layers = [
  ["core"],
  ["config", "ndarray", "protocol"],
  ["comm", "graph", "hdf5", "ndimage", "zarr"],
  ["scheduler", "worker"],
  // delayed values (dask.delayed) build graphs as arrays do; arrays read them (fromDelayed), never the reverse
  ["delayed"],
  ["client", "array"],
  ["deploy", "jobqueue", "runner", "kubernetes", "cloud", "dashboard"],
  ["cli"],
];

const folderPattern = (folders) => `^src/(${folders.join("|")})/`;

const upwardRules = layers.flatMap((folders, level) => {
  const higher = layers.slice(level + 1).flat();
  if (higher.length === 0) return [];
  return [{
    name: `layer-${level}-imports-higher-layer`,
    comment: `${folders.join(", ")} (layer ${level}) may not import ${higher.join(", ")}`,
    severity: "error",
    from: { path: folderPattern(folders) },
    to: { path: folderPattern(higher) },
  }];
});

const sameLayerRules = [
  ["scheduler", "worker"],
  ["worker", "scheduler"],
  ["array", "client"],
].map(([from, to]) => ({
  name: `${from}-imports-${to}`,
  comment: `${from} must not import ${to}: they meet only through lower layers`,
  severity: "error",
  from: { path: folderPattern([from]) },
  to: { path: folderPattern([to]) },
}));

module.exports = {
  forbidden: [
    ...upwardRules,
    ...sameLayerRules,
    {
      name: "no-circular",
      comment: "import cycles make start-up order and testing fragile",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "src-imports-test",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
