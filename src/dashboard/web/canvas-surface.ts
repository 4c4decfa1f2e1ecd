/**
 * A canvas that fills its container's width, stays sharp on high-density screens (its
 * backing store is scaled by devicePixelRatio while drawing code uses CSS pixels), and asks
 * its owner to redraw, at most once per animation frame, when resized or invalidated.
 */
import { browser, canvasElement, element, type Canvas2D, type CanvasElement, type DomElement } from "./browser.js";

export class CanvasSurface {
  readonly canvas: CanvasElement;
  readonly container: DomElement;
  readonly tooltip: DomElement;
  readonly context: Canvas2D;
  width = 0;
  height = 0;
  private scheduled = false;

  constructor(parent: DomElement, private cssHeight: number, private readonly draw: (surface: CanvasSurface) => void) {
    this.container = element("div", "chart");
    this.canvas = canvasElement();
    this.tooltip = element("div", "tooltip");
    this.tooltip.hidden = true;
    this.container.append(this.canvas, this.tooltip);
    parent.appendChild(this.container);
    const context = this.canvas.getContext("2d");
    if (!context) throw new Error("this browser offers no 2D canvas");
    this.context = context;
    browser.addEventListener("resize", () => this.invalidate());
    this.invalidate();
  }

  setHeight(cssHeight: number): void {
    if (Math.abs(cssHeight - this.cssHeight) < 1) return;
    this.cssHeight = cssHeight;
    this.invalidate();
  }

  /** Redraws on the next animation frame (several calls, one redraw). */
  invalidate(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    browser.requestAnimationFrame(() => {
      this.scheduled = false;
      this.redraw();
    });
  }

  redraw(): void {
    const ratio = browser.devicePixelRatio || 1;
    const width = Math.max(this.container.clientWidth, 50);
    if (width !== this.width || this.cssHeight !== this.height) {
      this.width = width;
      this.height = this.cssHeight;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(this.cssHeight * ratio);
      this.canvas.style.height = `${this.cssHeight}px`;
    }
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.context.clearRect(0, 0, this.width, this.height);
    this.draw(this);
  }

  /** Position of a pointer event in the canvas's CSS pixels. */
  pointer(event: { clientX: number; clientY: number }): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  showTooltip(text: string | null, x = 0, y = 0): void {
    if (!text) {
      this.tooltip.hidden = true;
      return;
    }
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const left = Math.min(x + 14, Math.max(0, this.width - 260));
    this.tooltip.style.left = `${left}px`;
    this.tooltip.style.top = `${y + 14}px`;
  }
}

/** A small canvas pattern of diagonal lines, for hatched bar segments. */
export function hatchPattern(context: Canvas2D, background: string, line: string): ReturnType<Canvas2D["createPattern"]> {
  const tile = canvasElement();
  tile.width = 6;
  tile.height = 6;
  const g = tile.getContext("2d");
  if (!g) return null;
  g.fillStyle = background;
  g.fillRect(0, 0, 6, 6);
  g.strokeStyle = line;
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(0, 6);
  g.lineTo(6, 0);
  g.moveTo(-3, 3);
  g.lineTo(3, -3);
  g.moveTo(3, 9);
  g.lineTo(9, 3);
  g.stroke();
  return context.createPattern(tile, "repeat");
}
