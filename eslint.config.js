// Lint rules that catch what review misses: floating promises, unused code, and
// accidental `any`. Layer and cycle rules live in .dependency-cruiser.cjs.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "src/dashboard/web/vendor/**", "**/*.js", "**/*.cjs", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { project: "./tsconfig.json", tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": ["error", {
        // node:test's describe/it return promises the runner itself awaits.
        allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] }],
      }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // Shared buffers come from newSharedBuffer() (ndarray/allocation-ledger.ts), which records
    // them for the task meter: one made directly is invisible to it. Tests may make their own.
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-syntax": ["error", {
        selector: "NewExpression[callee.name='SharedArrayBuffer']",
        message: "make shared buffers with newSharedBuffer() from src/ndarray/allocation-ledger.ts, so the task meter counts them",
      }],
    },
  },
);
