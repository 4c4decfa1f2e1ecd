/**
 * A flame graph of sampled stacks on a canvas: the root at the bottom, each frame above
 * the frame that called it, widths proportional to sample counts (time = count × sampling
 * interval), colours by source file. Clicking a frame zooms into it; clicking the root
 * zooms back out. Frames narrower than half a pixel are not drawn.
 */
import type { ProfileNode } from "../../protocol/profile-tree.js";
import type { DomElement } from "./browser.js";
import { CanvasSurface } from "./canvas-surface.js";
import { formatSeconds } from "./format.js";

const frameHeight = 18;
const maxFrameRows = 80;
const warmColours = ["#f4a259", "#e76f51", "#f6bd60", "#e9c46a", "#f28482", "#f7a072", "#ee9b00", "#ca6702", "#e5989b", "#ffb4a2"];

interface Placed {
  node: ProfileNode;
  x: number;
  width: number;
  depth: number;
}

function fileColour(filename: string): string {
  let hash = 0;
  for (let i = 0; i < filename.length; i++) hash = (hash * 31 + filename.charCodeAt(i)) | 0;
  return warmColours[Math.abs(hash) % warmColours.length];
}

function depthOf(node: ProfileNode, limit: number): number {
  if (limit <= 0) return 0;
  let deepest = 0;
  for (const child of Object.values(node.children)) deepest = Math.max(deepest, depthOf(child, limit - 1));
  return deepest + 1;
}

function shortFile(filename: string): string {
  const parts = filename.split("/");
  return parts[parts.length - 1] || filename;
}

export class FlameGraph {
  private root: ProfileNode | null = null;
  private focus: ProfileNode[] = [];
  private placed: Placed[] = [];
  private intervalMs = 10;
  readonly surface: CanvasSurface;

  constructor(parent: DomElement) {
    this.surface = new CanvasSurface(parent, 120, () => this.draw());
    const canvas = this.surface.canvas;
    canvas.addEventListener("mousemove", (event) => {
      const point = this.surface.pointer(event);
      const hit = this.hit(point.x, point.y);
      this.surface.showTooltip(hit ? this.describe(hit.node) : null, point.x, point.y);
    });
    canvas.addEventListener("mouseleave", () => this.surface.showTooltip(null));
    canvas.addEventListener("click", (event) => {
      const point = this.surface.pointer(event);
      const hit = this.hit(point.x, point.y);
      if (!hit || !this.root) return;
      if (hit.node === this.root) this.focus = [];
      else this.focus = this.pathTo(this.root, hit.node) ?? [];
      this.layout();
    });
  }

  set(root: ProfileNode, intervalMs: number): void {
    const keepFocus = this.focus.map((n) => n.identifier);
    this.root = root;
    this.intervalMs = intervalMs;
    this.surface.canvas.dataset.samples = String(root.count);
    // Keep the zoom on the same frames when fresh samples arrive.
    this.focus = [];
    let node = root;
    for (const identifier of keepFocus) {
      const child = node.children[identifier];
      if (!child) break;
      this.focus.push(child);
      node = child;
    }
    this.layout();
  }

  get sampleCount(): number {
    return this.root?.count ?? 0;
  }

  private pathTo(from: ProfileNode, target: ProfileNode): ProfileNode[] | null {
    for (const child of Object.values(from.children)) {
      if (child === target) return [child];
      const below = this.pathTo(child, target);
      if (below) return [child, ...below];
    }
    return null;
  }

  private layout(): void {
    this.placed = [];
    const root = this.root;
    if (!root) return;
    const rows = Math.min(depthOf(root, maxFrameRows) + 1, maxFrameRows);
    this.surface.setHeight(Math.max(rows, 3) * frameHeight + 4);
    // The focused chain takes the full width; below it its ancestors, root last.
    const chain = [root, ...this.focus];
    chain.forEach((node, depth) => this.placed.push({ node, x: 0, width: 1, depth }));
    const top = chain[chain.length - 1];
    this.placeChildren(top, 0, 1, chain.length, top.count);
    this.surface.invalidate();
  }

  private placeChildren(node: ProfileNode, x: number, width: number, depth: number, total: number): void {
    if (depth >= maxFrameRows || total <= 0) return;
    let cursor = x;
    const children = Object.values(node.children).sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      const w = (child.count / total) * width;
      this.placed.push({ node: child, x: cursor, width: w, depth });
      this.placeChildren(child, cursor, w, depth + 1, child.count);
      cursor += w;
    }
  }

  private hit(px: number, py: number): Placed | undefined {
    const width = this.surface.width;
    const bottom = this.surface.height - 2;
    const depth = Math.floor((bottom - py) / frameHeight);
    return this.placed.find((p) => p.depth === depth && px >= p.x * width && px <= (p.x + p.width) * width);
  }

  private describe(node: ProfileNode): string {
    const total = this.root?.count || 1;
    const seconds = (node.count * this.intervalMs) / 1000;
    const where = node.filename ? `\n${node.filename}:${node.line}` : "";
    return `${node.name}${where}\n${node.count} samples ≈ ${formatSeconds(seconds)} · ${((node.count / total) * 100).toFixed(1)} %`;
  }

  private draw(): void {
    const g = this.surface.context;
    const width = this.surface.width;
    const bottom = this.surface.height - 2;
    g.font = "11px system-ui, sans-serif";
    g.textBaseline = "middle";
    if (!this.root || this.root.count === 0) {
      g.fillStyle = "#6b7280";
      g.fillText("no samples yet: profiles fill in while tasks run", 4, 20);
      return;
    }
    for (const placed of this.placed) {
      const w = placed.width * width;
      if (w < 0.5) continue;
      const x = placed.x * width;
      const y = bottom - (placed.depth + 1) * frameHeight;
      const isRoot = placed.node === this.root;
      g.fillStyle = isRoot ? "#c9ccd3" : fileColour(placed.node.filename);
      g.fillRect(x, y + 1, Math.max(w - 0.5, 0.5), frameHeight - 2);
      if (w > 34) {
        g.fillStyle = "#1f2430";
        g.textAlign = "left";
        const where = placed.node.filename ? ` ${shortFile(placed.node.filename)}:${placed.node.line}` : "";
        const label = isRoot ? `all (${this.root.count} samples)` : `${placed.node.name}${where}`;
        g.fillText(label, x + 3, y + frameHeight / 2, w - 6);
      }
    }
  }
}
