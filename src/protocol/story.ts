/** One transition of a key, as the scheduler and the workers record it (client.story, the dashboard's task page). */
export interface StoryEntry {
  key: string;
  from: string;
  to: string;
  /** "scheduler", or the address of the worker that recorded it. */
  where: string;
  /** The worker it concerned: the one processing or holding it (scheduler entries), or the recorder. */
  worker: string | null;
  /** Seconds since the epoch. */
  time: number;
  /** What caused it (the event, e.g. "task-finished-1042" on the scheduler, "execute-success" on a worker). */
  stimulus: string;
}
