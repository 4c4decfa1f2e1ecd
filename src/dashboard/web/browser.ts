/**
 * The browser's API as far as the dashboard uses it. The project compiles for Node (no DOM
 * library in tsconfig, and adding it would change every file's globals), so the browser
 * code reaches the browser through these narrow declarations instead: `browser` is
 * globalThis seen through them. Keep to what is listed here, or add to it.
 */

export interface BrowserEvent {
  readonly type: string;
  preventDefault(): void;
}

export interface PointerLikeEvent extends BrowserEvent {
  readonly clientX: number;
  readonly clientY: number;
  readonly offsetX: number;
  readonly offsetY: number;
  readonly button: number;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly deltaY: number;
}

export interface ClassList {
  add(...names: string[]): void;
  remove(...names: string[]): void;
  toggle(name: string, force?: boolean): boolean;
}

export interface DomNode {
  textContent: string | null;
  readonly firstChild: DomNode | null;
  appendChild<T extends DomNode>(child: T): T;
  removeChild<T extends DomNode>(child: T): T;
}

export interface DomElement extends DomNode {
  id: string;
  className: string;
  title: string;
  hidden: boolean;
  readonly classList: ClassList;
  readonly style: { [property: string]: string } & { setProperty(name: string, value: string): void };
  readonly dataset: { [name: string]: string | undefined };
  readonly clientWidth: number;
  readonly clientHeight: number;
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  replaceChildren(...nodes: Array<DomNode | string>): void;
  append(...nodes: Array<DomNode | string>): void;
  querySelector(selector: string): DomElement | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  addEventListener(type: string, listener: (event: PointerLikeEvent) => void, options?: { passive?: boolean }): void;
}

export interface InputElement extends DomElement {
  value: string;
  checked: boolean;
  min: string;
  max: string;
  step: string;
  type: string;
}

export interface SelectElement extends DomElement {
  value: string;
}

export interface CanvasPattern {
  readonly __pattern: true;
}

export interface TextMetrics {
  readonly width: number;
}

/** The 2D context methods the charts draw with. */
export interface Canvas2D {
  fillStyle: string | CanvasPattern;
  strokeStyle: string;
  globalAlpha: number;
  lineWidth: number;
  font: string;
  textAlign: "left" | "right" | "center" | "start" | "end";
  textBaseline: "top" | "middle" | "alphabetic" | "bottom";
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, width: number, height: number): void;
  fillRect(x: number, y: number, width: number, height: number): void;
  strokeRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number, maxWidth?: number): void;
  measureText(text: string): TextMetrics;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  bezierCurveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void;
  closePath(): void;
  stroke(): void;
  fill(): void;
  save(): void;
  restore(): void;
  rect(x: number, y: number, width: number, height: number): void;
  clip(): void;
  createPattern(image: CanvasElement, repetition: "repeat"): CanvasPattern | null;
}

export interface CanvasElement extends DomElement {
  width: number;
  height: number;
  getContext(kind: "2d"): Canvas2D | null;
}

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onerror: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}

export interface BrowserGlobals {
  readonly document: {
    readonly body: DomElement;
    title: string;
    createElement(tag: string): DomElement;
    createTextNode(text: string): DomNode;
    getElementById(id: string): DomElement | null;
    querySelector(selector: string): DomElement | null;
  };
  readonly location: { readonly href: string; readonly protocol: string; readonly host: string; readonly pathname: string; readonly search: string };
  readonly devicePixelRatio: number;
  readonly innerWidth: number;
  readonly WebSocket: new (url: string) => WebSocketLike;
  fetch(url: string): Promise<FetchResponse>;
  requestAnimationFrame(callback: (time: number) => void): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  setInterval(callback: () => void, ms: number): number;
  addEventListener(type: string, listener: () => void): void;
  readonly performance: { now(): number };
}

export const browser = globalThis as unknown as BrowserGlobals;

/** Creates an element with a class and children (text is set as text, never parsed as HTML). */
export function element(tag: string, className = "", ...children: Array<DomNode | string>): DomElement {
  const node = browser.document.createElement(tag);
  if (className) node.className = className;
  if (children.length > 0) node.append(...children);
  return node;
}

export function canvasElement(): CanvasElement {
  return browser.document.createElement("canvas") as CanvasElement;
}
