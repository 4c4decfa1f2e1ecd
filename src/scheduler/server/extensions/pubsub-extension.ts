/**
 * Publish/subscribe (Dask's Pub/Sub): a message published to a topic reaches every connection
 * subscribed to it at that moment, in the order published; nothing is stored for later
 * subscribers. Unlike Dask, where workers send to each other directly, every message goes
 * through the scheduler: tasks reach it through a client anyway, and one path keeps the order.
 */
import type { Connection } from "../../../comm/connection.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { CoordinationError, answer, type PeerRequest, type SchedulerExtension } from "./extension-host.js";
import { maxStoredValueBytes } from "./stored-items.js";

type PubSubOp = "pubsub-subscribe" | "pubsub-unsubscribe" | "pubsub-publish" | "pubsub-message";

export class PubSubExtension implements SchedulerExtension<PubSubOp> {
  /** Topic → subscribed peers and their connections. */
  private readonly topics = new Map<string, Map<string, Connection>>();

  readonly handlers = {
    "pubsub-subscribe": (message: MessageOf<"pubsub-subscribe">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const subscribers = this.topics.get(message.topic) ?? new Map<string, Connection>();
      subscribers.set(request.peer, request.connection);
      this.topics.set(message.topic, subscribers);
      return { subscribed: true };
    }),
    "pubsub-unsubscribe": (message: MessageOf<"pubsub-unsubscribe">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      this.unsubscribe(message.topic, request.peer);
      return { subscribed: false };
    }),
    "pubsub-publish": (message: MessageOf<"pubsub-publish">, frames: Uint8Array[]) => {
      const bytes = frames.reduce((sum, frame) => sum + frame.byteLength, 0);
      if (bytes > maxStoredValueBytes) throw new CoordinationError(`a message of ${bytes} bytes to topic ${JSON.stringify(message.topic)} is too big to pass through the scheduler (at most ${maxStoredValueBytes})`);
      // Forwarded as it came: the payload is the publisher's, unchanged.
      for (const connection of this.topics.get(message.topic)?.values() ?? []) {
        if (!connection.isClosed) connection.send({ op: "pubsub-message", topic: message.topic, value: message.value }, frames);
      }
    },
    "pubsub-message": () => {
      throw new CoordinationError("pubsub-message goes from the scheduler to subscribers, not the other way");
    },
  };

  private unsubscribe(topic: string, peer: string): void {
    const subscribers = this.topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(peer);
    if (subscribers.size === 0) this.topics.delete(topic);
  }

  /** Subscribers per topic (for tests and the dashboard). */
  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  peerGone(peer: string): void {
    for (const topic of [...this.topics.keys()]) this.unsubscribe(topic, peer);
  }
}
