// Bounded histories that still reach back to the start of a run. Entries are numbered as they
// arrive; the recent ones are all kept, and of the older ones only those whose number is a multiple
// of a stride, which doubles whenever the history outgrows its bound. The older part thus stays
// evenly spread from the first entry on: a run of a million steps keeps a few hundred entries,
// early steps among them.

export interface Numbered {
  /** Arrival order: 0, 1, 2, … */
  readonly seq: number;
}

export class Thinning {
  private stride = 1;

  constructor(private readonly max: number, private readonly keepRecent: number) {
    if (!(keepRecent < max)) throw new RangeError(`Thinning keeps ${keepRecent} recent entries of ${max}: it could never free room`);
  }

  /** Thins `items` (in arrival order) in place to at most `max` entries. */
  apply<T extends Numbered>(items: T[]): void {
    this.dropOffStride(items);
    while (items.length > this.max) {
      this.stride *= 2;
      this.dropOffStride(items);
    }
  }

  private dropOffStride<T extends Numbered>(items: T[]): void {
    const olderEnd = items.length - this.keepRecent;
    let kept = 0;
    for (let i = 0; i < items.length; i++) {
      if (i >= olderEnd || items[i].seq % this.stride === 0) items[kept++] = items[i];
    }
    items.length = kept;
  }
}
