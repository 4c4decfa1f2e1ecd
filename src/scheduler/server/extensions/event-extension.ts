/**
 * Distributed events (Dask's EventExtension): a named flag that clients and tasks set, clear
 * and wait for. Waiting on a set event returns at once; set() wakes every waiter. An event
 * that is clear and has no waiters is forgotten (it reads as clear), so names do not pile up.
 */
import type { MessageOf } from "../../../protocol/messages.js";
import { answer, type PeerRequest, type SchedulerExtension } from "./extension-host.js";

interface Waiter {
  request: PeerRequest;
  reqId: number;
  timer: NodeJS.Timeout | undefined;
}

interface NamedEvent {
  isSet: boolean;
  waiters: Waiter[];
}

type EventOp = "event-set" | "event-clear" | "event-wait" | "event-is-set";

export class EventExtension implements SchedulerExtension<EventOp> {
  private readonly events = new Map<string, NamedEvent>();

  readonly handlers = {
    "event-set": (message: MessageOf<"event-set">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const event = this.event(message.name);
      event.isSet = true;
      for (const waiter of event.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.request.connection.reply(waiter.reqId, { set: true });
      }
      return { set: true };
    }),
    "event-clear": (message: MessageOf<"event-clear">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const event = this.events.get(message.name);
      if (event) {
        event.isSet = false;
        this.forgetIfIdle(message.name, event);
      }
      return { set: false };
    }),
    "event-is-set": (message: MessageOf<"event-is-set">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => ({ set: this.events.get(message.name)?.isSet ?? false })),
    "event-wait": (message: MessageOf<"event-wait">, _frames: Uint8Array[], request: PeerRequest) => this.wait(message, request),
  };

  private event(name: string): NamedEvent {
    let event = this.events.get(name);
    if (!event) {
      event = { isSet: false, waiters: [] };
      this.events.set(name, event);
    }
    return event;
  }

  private forgetIfIdle(name: string, event: NamedEvent): void {
    if (!event.isSet && event.waiters.length === 0) this.events.delete(name);
  }

  private wait(message: MessageOf<"event-wait">, request: PeerRequest): void {
    const event = this.event(message.name);
    if (event.isSet || message.timeout === 0) {
      request.connection.reply(message.reqId, { set: event.isSet });
      this.forgetIfIdle(message.name, event);
      return;
    }
    const waiter: Waiter = { request, reqId: message.reqId, timer: undefined };
    event.waiters.push(waiter);
    if (message.timeout !== undefined) {
      waiter.timer = setTimeout(() => {
        const index = event.waiters.indexOf(waiter);
        if (index < 0) return;
        event.waiters.splice(index, 1);
        request.connection.reply(message.reqId, { set: false });
        this.forgetIfIdle(message.name, event);
      }, message.timeout * 1000);
    }
  }

  peerGone(peer: string): void {
    for (const [name, event] of this.events) {
      for (const waiter of event.waiters.filter((w) => w.request.peer === peer)) {
        clearTimeout(waiter.timer);
        event.waiters.splice(event.waiters.indexOf(waiter), 1);
      }
      this.forgetIfIdle(name, event);
    }
  }

  close(): void {
    for (const event of this.events.values()) for (const waiter of event.waiters) clearTimeout(waiter.timer);
  }
}
