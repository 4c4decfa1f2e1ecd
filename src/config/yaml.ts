/**
 * YAML as Dask reads it. Dask parses its config files with PyYAML, which implements YAML 1.1:
 * `yes`/`no`/`on`/`off` are booleans, `010` is octal. The `yaml` package's 1.1 schema is
 * close, with three differences we remove so a Dask file means the same here:
 *  - it also reads `y`/`n`/`Y`/`N` as booleans; PyYAML keeps them as strings;
 *  - it reads `02:00:00` as the base-60 integer 7200. PyYAML does that only without a
 *    leading zero (`2:00:00`), and in both cases a walltime silently becomes a number of
 *    minutes or seconds. We keep every clock-like scalar a string instead (a deliberate
 *    improvement: `walltime: 2:00:00` means two hours, quoted or not);
 *  - timestamps become Date objects; no tessera key wants one, so they stay strings;
 *  - it reads `1e3` as a number; PyYAML wants a dot and a signed exponent (`1.0e+3`) and
 *    keeps `1e3` a string.
 */
import { parse, parseDocument, type Tags } from "yaml";
import { InvalidOptionError } from "../core/errors.js";

const boolTag = "tag:yaml.org,2002:bool";
const pyyamlTrue = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const pyyamlFalse = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const pyyamlExponentFloat = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*[eE][-+][0-9]+$/;

function pyyamlTags(tags: Tags): Tags {
  return tags
    .filter((tag) => typeof tag === "string" || (tag.format !== "TIME" && tag.tag !== "tag:yaml.org,2002:timestamp"))
    .map((tag) => {
      if (typeof tag === "string" || !("test" in tag) || !tag.test) return tag;
      if (tag.tag === "tag:yaml.org,2002:float" && tag.format === "EXP") return { ...tag, test: pyyamlExponentFloat };
      if (tag.tag !== boolTag) return tag;
      const isTrue = tag.test.test("true");
      return { ...tag, test: isTrue ? pyyamlTrue : pyyamlFalse };
    });
}

const options = { version: "1.1" as const, customTags: pyyamlTags };

/** Parse a whole config file; `source` names it in errors (e.g. "~/.config/tessera/a.yaml"). */
export function parseYamlFile(text: string, source: string): unknown {
  const document = parseDocument(text, options);
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const where = first.linePos ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : "";
    throw new InvalidOptionError(`${source}: not valid YAML${where}: ${first.message.split("\n")[0]}; fix the file or remove it`);
  }
  return document.toJS();
}

/**
 * One value as written in an environment variable or on the command line: "24" is a number,
 * "yes" a boolean, "[a, b]" a list, "128GB" and "02:00:00" stay strings. Text that is not
 * valid YAML is taken as the string it is.
 */
export function parseYamlScalar(text: string): unknown {
  try {
    return parse(text, options);
  } catch {
    return text;
  }
}
