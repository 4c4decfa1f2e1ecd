/**
 * The kinds of task-stream rectangles, in the order their numbers travel in
 * (`StreamDelta.kind`). The server's encoder and the browser's store share this one list; it
 * lives in web/ because the browser can load modules from there only.
 */
export const rectKinds = ["compute", "error", "transfer", "disk-read", "disk-write", "deserialize"] as const;
export type RectKind = (typeof rectKinds)[number];
