/**
 * A binary min-heap with removal of arbitrary items, for priority queues of tasks
 * (the scheduler's root-task queue, a worker's ready queue). Items remember their slot in
 * `positions`, so remove() is O(log n) instead of a scan.
 */
export class Heap<T> {
  private items: T[] = [];
  private positions = new Map<T, number>();

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  has(item: T): boolean {
    return this.positions.has(item);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    if (this.positions.has(item)) return;
    this.items.push(item);
    this.positions.set(item, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  remove(item: T): boolean {
    const index = this.positions.get(item);
    if (index === undefined) return false;
    const last = this.items.pop() as T;
    this.positions.delete(item);
    if (index < this.items.length) {
      this.items[index] = last;
      this.positions.set(last, index);
      this.down(index);
      this.up(index);
    }
    return true;
  }

  values(): readonly T[] {
    return this.items;
  }

  private up(index: number): void {
    const items = this.items;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(items[index], items[parent])) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private down(index: number): void {
    const items = this.items;
    const n = items.length;
    while (true) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < n && this.less(items[left], items[smallest])) smallest = left;
      if (right < n && this.less(items[right], items[smallest])) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    [items[a], items[b]] = [items[b], items[a]];
    this.positions.set(items[a], a);
    this.positions.set(items[b], b);
  }
}
