/**
 * The HTML of each dashboard page: a navigation bar and an empty main element that the
 * page's script (compiled from src/dashboard/web/pages/) fills and keeps live. Every link
 * and script reference is relative, so the dashboard works at any path and behind any
 * port forward (`ssh -L 8787:node:8787` then http://localhost:8787/status).
 */

export interface DashboardPage {
  path: string;
  title: string;
}

export const dashboardPages: readonly DashboardPage[] = [
  { path: "status", title: "Status" },
  { path: "workers", title: "Workers" },
  { path: "tasks", title: "Task stream" },
  { path: "graph", title: "Graph" },
  { path: "profile", title: "Profile" },
  { path: "system", title: "System" },
  { path: "jobs", title: "Jobs" },
];

/** Text safe inside HTML elements and quoted attributes. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageHtml(page: DashboardPage, schedulerAddress: string): string {
  const links = dashboardPages
    .map((p) => `<a href="${p.path}"${p.path === page.path ? ' class="current"' : ""}>${escapeHtml(p.title)}</a>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tessera · ${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="static/dashboard.css">
</head>
<body data-page="${page.path}">
<nav><span class="brand" title="${escapeHtml(schedulerAddress)}">tessera</span>${links}<span class="live" id="live-state">connecting…</span></nav>
<main id="app"></main>
<script type="module" src="static/pages/${page.path}.js"></script>
</body>
</html>
`;
}

export function unauthorizedHtml(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tessera · access refused</title></head>
<body style="font:14px system-ui,sans-serif;margin:40px;max-width:640px">
<h1 style="font-size:18px">This dashboard needs its access token</h1>
<p>Open the link the cluster printed: it ends in <code>/status?token=…</code>. In a program,
<code>client.dashboardLink</code> or <code>cluster.dashboardLink</code> gives it.</p>
</body></html>
`;
}
