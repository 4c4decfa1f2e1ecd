/**
 * One self-contained script from the dashboard's compiled ES modules, for HTML files that
 * must open from disk with no network (performance reports, profiles): browsers do not load
 * module files from file:// pages, so the modules are joined into one script.
 *
 * How: starting at the entry, each module's relative imports are followed first (so a
 * module comes after everything it uses); `import` statements are removed (the names they
 * bring in are the same top-level names of the modules placed before) and `export` keywords
 * are dropped from declarations. The result runs inside one function scope. This is only
 * sound for modules written like src/dashboard/web/ is: named imports and exports, no
 * default or namespace imports, and no two modules declaring the same top-level name —
 * all of which is checked here, so a module that breaks the rule fails loudly at build
 * time of the report instead of misbehaving in a browser.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, normalize } from "node:path";
import { parse, type Node } from "acorn";
import { TesseraError } from "../../core/errors.js";

export class InlineModulesError extends TesseraError {
  override name = "InlineModulesError";
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

type AnyNode = Node & Record<string, unknown>;

function declaredNames(statement: AnyNode): string[] {
  const target = (statement.type === "ExportNamedDeclaration" ? statement.declaration : statement) as AnyNode | null;
  if (!target) return [];
  if (target.type === "FunctionDeclaration" || target.type === "ClassDeclaration") return [((target.id as AnyNode).name as string)];
  if (target.type === "VariableDeclaration") {
    return (target.declarations as AnyNode[]).flatMap((d) => patternNames(d.id as AnyNode));
  }
  return [];
}

function patternNames(pattern: AnyNode): string[] {
  switch (pattern.type) {
    case "Identifier": return [pattern.name as string];
    case "ObjectPattern": return (pattern.properties as AnyNode[]).flatMap((p) => patternNames((p.type === "RestElement" ? p.argument : p.value) as AnyNode));
    case "ArrayPattern": return (pattern.elements as Array<AnyNode | null>).flatMap((e) => (e ? patternNames(e) : []));
    case "AssignmentPattern": return patternNames(pattern.left as AnyNode);
    case "RestElement": return patternNames(pattern.argument as AnyNode);
    default: return [];
  }
}

/** Joins `entry` (a path inside `directory`, e.g. "report-app.js") and what it imports. */
export async function inlineModules(directory: string, entry: string): Promise<string> {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const owners = new Map<string, string>();
  const parts: string[] = [];

  const visit = async (file: string): Promise<void> => {
    if (done.has(file)) return;
    if (visiting.has(file)) throw new InlineModulesError(`import cycle through ${file}`);
    visiting.add(file);
    let source: string;
    try {
      source = await readFile(file, "utf8");
    } catch (error) {
      throw new InlineModulesError(`cannot read ${file}: is the project built (npm run build)?`, { cause: error });
    }
    const program = parse(source, { ecmaVersion: "latest", sourceType: "module" }) as unknown as AnyNode;
    const edits: Edit[] = [];
    for (const statement of program.body as AnyNode[]) {
      for (const name of declaredNames(statement)) {
        const owner = owners.get(name);
        if (owner && owner !== file) throw new InlineModulesError(`"${name}" is declared by both ${owner} and ${file}; rename one`);
        owners.set(name, file);
      }
      if (statement.type === "ImportDeclaration") {
        const from = (statement.source as AnyNode).value as string;
        if (!from.startsWith(".")) throw new InlineModulesError(`${file} imports "${from}": only relative imports can be inlined`);
        await visit(normalize(join(dirname(file), from)));
        const aliases: string[] = [];
        for (const specifier of statement.specifiers as AnyNode[]) {
          if (specifier.type !== "ImportSpecifier") throw new InlineModulesError(`${file}: only named imports can be inlined`);
          const imported = (specifier.imported as AnyNode).name as string;
          const local = (specifier.local as AnyNode).name as string;
          if (imported !== local) aliases.push(`const ${local} = ${imported};`);
        }
        edits.push({ start: statement.start, end: statement.end, text: aliases.join(" ") });
      } else if (statement.type === "ExportNamedDeclaration") {
        if (statement.source) throw new InlineModulesError(`${file}: re-exports cannot be inlined`);
        if (statement.declaration) {
          edits.push({ start: statement.start, end: (statement.declaration as AnyNode).start, text: "" });
        } else {
          const aliases = (statement.specifiers as AnyNode[])
            .filter((s) => (s.local as AnyNode).name !== (s.exported as AnyNode).name)
            .map((s) => `const ${(s.exported as AnyNode).name as string} = ${(s.local as AnyNode).name as string};`);
          edits.push({ start: statement.start, end: statement.end, text: aliases.join(" ") });
        }
      } else if (statement.type === "ExportDefaultDeclaration" || statement.type === "ExportAllDeclaration") {
        throw new InlineModulesError(`${file}: default and star exports cannot be inlined`);
      }
    }
    let text = source;
    for (const edit of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    text = text.replace(/^\/\/# sourceMappingURL=.*$/m, "");
    parts.push(`// ---- ${file.slice(directory.length)} ----\n${text.trim()}`);
    visiting.delete(file);
    done.add(file);
  };

  await visit(normalize(join(directory, entry)));
  return `(() => {\n"use strict";\n${parts.join("\n")}\n})();\n`;
}

/** Makes text safe inside an HTML <script> element. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}
