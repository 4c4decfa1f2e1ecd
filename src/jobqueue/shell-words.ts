/**
 * Values put into the worker command of a job script, quoted so that the shell on the node
 * reads each as exactly one word (issue 9: `--local-directory '/scratch/my dir;echo INJECTED'`
 * used to run the echo).
 *
 * The one expansion kept is an environment variable, `$NAME` or `${NAME}`: dask-jobqueue
 * writes values unquoted precisely so that `localDirectory: "$TMPDIR"` or a shared directory
 * under `$SCRATCH` expands on the node, and users rely on it. Such a value is written inside
 * double quotes with every other shell-active character escaped (`\`, `"`, backquote, and a
 * `$` that does not start a plain variable reference: `$(…)`, `${X:-…}`, `$1`), so the
 * variable expands and nothing else does: no command substitution, no word splitting, no
 * globbing, no `;`/`|`/`&`. A value without a variable reference is single-quoted.
 *
 * Lines the user writes as shell on purpose (jobScriptPrologue, jobScriptEpilogue and a
 * custom workerCommand) are left as they are: they are shell code by definition.
 */
import { InvalidOptionError } from "../core/errors.js";

const plainWord = /^[A-Za-z0-9_./:=@%+,-]+$/;
const variableReference = /\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/g;

/** `word` as one shell word with no expansion at all. */
export function shellLiteral(word: string): string {
  return plainWord.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `word` as one shell word in which only `$NAME` / `${NAME}` expand (see the module comment). */
export function shellWordKeepingVariables(word: string): string {
  if (plainWord.test(word)) return word;
  const references = [...word.matchAll(variableReference)];
  if (references.length === 0) return shellLiteral(word);
  let quoted = "";
  let position = 0;
  for (const match of references) {
    quoted += escapeInDoubleQuotes(word.slice(position, match.index)) + match[0];
    position = (match.index ?? 0) + match[0].length;
  }
  return `"${quoted}${escapeInDoubleQuotes(word.slice(position))}"`;
}

function escapeInDoubleQuotes(text: string): string {
  return text.replace(/[\\"`$]/g, (character) => `\\${character}`);
}

/**
 * A value that goes into a job script's header or command must not hold a line break: a
 * directive line would end there and the rest would run as a shell line.
 */
export function refuseLineBreaks(what: string, value: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new InvalidOptionError(`${what}: ${JSON.stringify(value)} contains a line break or NUL byte, which a job script cannot hold; remove it`);
  }
}
