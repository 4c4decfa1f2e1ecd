/**
 * The page's live connection: a WebSocket to `ws` next to the page (a relative address, so
 * port forwards and path prefixes keep working), which subscribes to the topics the page
 * shows and reconnects after a drop, asking again for the history it needs.
 */
import { browser, type WebSocketLike } from "./browser.js";

export interface LiveMessage {
  type: string;
  reset?: boolean;
  data: unknown;
}

export class LiveSocket {
  private socket: WebSocketLike | null = null;
  private retryMs = 500;

  constructor(
    private readonly topics: string[],
    private readonly history: number,
    private readonly onMessage: (message: LiveMessage) => void,
  ) {
    this.connect();
  }

  private connect(): void {
    const url = new URL("ws", browser.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.hash = "";
    const socket = new browser.WebSocket(url.href);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 500;
      setLiveState("connected");
      socket.send(JSON.stringify({ subscribe: this.topics, history: this.history }));
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") this.onMessage(JSON.parse(event.data) as LiveMessage);
    };
    socket.onclose = () => {
      setLiveState("disconnected");
      browser.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }
}

/** The connection indicator in the navigation bar. */
export function setLiveState(state: "connected" | "disconnected"): void {
  const indicator = browser.document.getElementById("live-state");
  if (!indicator) return;
  indicator.textContent = state === "connected" ? "live" : "reconnecting…";
  indicator.className = `live ${state}`;
}
