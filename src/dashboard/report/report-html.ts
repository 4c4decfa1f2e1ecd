/**
 * Writes a report as one HTML file that opens from disk with no network: the dashboard's
 * stylesheet, the report's data as JSON and the drawing code joined into one script are
 * all inside the file.
 */
import { writeFile } from "node:fs/promises";
import { InvalidOptionError } from "../../core/errors.js";
import { dashboardCss } from "../server/dashboard-style.js";
import { escapeHtml } from "../server/page-shell.js";
import { webAppDirectory } from "../server/static-assets.js";
import { inlineModules, scriptSafe } from "./inline-modules.js";
import type { ReportData } from "./report-data.js";

/** JSON that can sit inside <script>: "<" only occurs inside JSON strings, where \u003c means the same. */
function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

async function renderReportHtml(data: ReportData): Promise<string> {
  const directory = webAppDirectory();
  if (!directory) throw new InvalidOptionError("the dashboard's browser code is not built; run `npm run build` before writing reports");
  const script = await inlineModules(directory, "report-app.js");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${dashboardCss}</style>
</head>
<body data-report="${data.kind}">
<main id="app"></main>
<script type="application/json" id="report-data">${embeddedJson(data)}</script>
<script>
${scriptSafe(script)}
</script>
</body>
</html>
`;
}

export async function writeReportHtml(filename: string, data: ReportData): Promise<void> {
  await writeFile(filename, await renderReportHtml(data), "utf8");
}
