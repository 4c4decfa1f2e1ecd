/**
 * A worker's record of task transitions (Dask's worker story): every status change of every
 * task here, with the time and what caused it (the event being handled), for client.story().
 * Bounded like the scheduler's: the oldest entries fall off.
 *
 * Entries are kept in a ring of parallel arrays, as the scheduler's transition log is, and each
 * key as a string of its own: a key taken from a decoded message may be a slice of that
 * message's text, which V8 then keeps whole for as long as the slice lives (a compute-task
 * message is ~2 KB, so 100 000 entries kept 6.5 MB of messages after 45 rounds of x + x.T).
 */
export interface WorkerStoryEntry {
  key: string;
  from: string;
  to: string;
  /** Seconds since the epoch. */
  time: number;
  /** The event that caused it (compute-task, execute-success, fetch-success, …). */
  stimulus: string;
}

export class WorkerStory {
  private readonly keys: string[] = [];
  private readonly froms: string[] = [];
  private readonly tos: string[] = [];
  private readonly times: number[] = [];
  private readonly stimuli: string[] = [];
  /** Entries ever recorded (the ring's write position is total % capacity). */
  private total = 0;

  constructor(readonly capacity = 100_000) {}

  record(entry: WorkerStoryEntry): void {
    const at = this.total % this.capacity;
    // A task's transitions come in runs: its previous entry's copy of the key serves again.
    const previous = this.keys[(this.total + this.capacity - 1) % this.capacity];
    this.keys[at] = previous === entry.key ? previous : ownCopy(entry.key);
    this.froms[at] = ownCopy(entry.from);
    this.tos[at] = ownCopy(entry.to);
    this.times[at] = entry.time;
    this.stimuli[at] = ownCopy(entry.stimulus);
    this.total++;
  }

  /** Every kept transition of these keys, oldest first. */
  story(keys: ReadonlySet<string>): WorkerStoryEntry[] {
    const out: WorkerStoryEntry[] = [];
    for (let index = Math.max(0, this.total - this.capacity); index < this.total; index++) {
      const at = index % this.capacity;
      if (keys.has(this.keys[at])) out.push({ key: this.keys[at], from: this.froms[at], to: this.tos[at], time: this.times[at], stimulus: this.stimuli[at] });
    }
    return out;
  }
}

/**
 * The same text in a string that refers to no other: JSON's round trip builds a new string
 * (lone surrogates included, which JSON.stringify escapes), where slicing or concatenating
 * could keep a reference to the string it came from. Short strings are never slices.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
