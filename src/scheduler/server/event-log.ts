/**
 * Events by topic (Dask's log_event / get_events / subscribe_topic): anything a client or a
 * worker logs under a topic is kept (the last `perTopic` of each topic) and sent at once to
 * the clients subscribed to that topic. The scheduler logs some topics itself:
 * "forwarded-logging" (workers' log records, while a client forwards them) and
 * "worker-setup-failed" (a worker plugin threw at setup).
 */
export interface TopicEvent {
  /** Seconds since the epoch. */
  time: number;
  msg: unknown;
}

export class EventLog {
  private readonly topics = new Map<string, TopicEvent[]>();
  private readonly subscribers = new Map<string, Set<string>>();

  constructor(
    /** Sends an event to a subscribed client. */
    private readonly deliver: (clientId: string, topic: string, event: TopicEvent) => void,
    private readonly perTopic = 1000,
    private readonly maxTopics = 1000,
  ) {}

  add(topic: string, msg: unknown, time: number): void {
    let events = this.topics.get(topic);
    if (!events) {
      // Bounded in topics too: the oldest topic goes (a client inventing topics cannot grow us for ever).
      if (this.topics.size >= this.maxTopics) this.topics.delete(this.topics.keys().next().value as string);
      events = [];
      this.topics.set(topic, events);
    }
    const event = { time, msg };
    events.push(event);
    if (events.length > this.perTopic * 1.25) events.splice(0, events.length - this.perTopic);
    for (const clientId of this.subscribers.get(topic) ?? []) this.deliver(clientId, topic, event);
  }

  /** The kept events of one topic, oldest first. */
  get(topic: string): TopicEvent[] {
    return [...(this.topics.get(topic) ?? [])].slice(-this.perTopic);
  }

  /** Every topic's kept events. */
  all(): Record<string, TopicEvent[]> {
    return Object.fromEntries([...this.topics.keys()].map((topic) => [topic, this.get(topic)]));
  }

  subscribe(topic: string, clientId: string): void {
    let clients = this.subscribers.get(topic);
    if (!clients) {
      clients = new Set();
      this.subscribers.set(topic, clients);
    }
    clients.add(clientId);
  }

  unsubscribe(topic: string, clientId: string): void {
    this.subscribers.get(topic)?.delete(clientId);
  }

  /** A client left: it hears nothing more. */
  dropClient(clientId: string): void {
    for (const clients of this.subscribers.values()) clients.delete(clientId);
  }
}
