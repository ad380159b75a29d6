/**
 * A group's members as a sorted Int32Array of user indexes: compact for millions of memberships,
 * stable order for paging, O(log n) membership checks.
 */
export class MemberList {
  private data: Int32Array;
  private count: number;

  /** `sortedIndexes` must be ascending and free of duplicates; it is adopted, not copied. */
  constructor(sortedIndexes: Int32Array = new Int32Array(0)) {
    this.data = sortedIndexes;
    this.count = sortedIndexes.length;
  }

  get size(): number {
    return this.count;
  }

  /** Position of `idx`, or -(insertion point + 1) when absent. */
  private find(idx: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = this.data[mid] as number;
      if (value === idx) return mid;
      if (value < idx) lo = mid + 1;
      else hi = mid - 1;
    }
    return -(lo + 1);
  }

  has(idx: number): boolean {
    return this.find(idx) >= 0;
  }

  /** Adds `idx`; false when it was already present. */
  add(idx: number): boolean {
    const pos = this.find(idx);
    if (pos >= 0) return false;
    const at = -pos - 1;
    if (this.count === this.data.length) {
      const grown = new Int32Array(Math.max(8, this.count * 2));
      grown.set(this.data.subarray(0, this.count));
      this.data = grown;
    }
    this.data.copyWithin(at + 1, at, this.count);
    this.data[at] = idx;
    this.count++;
    return true;
  }

  /** Removes `idx`; false when it was not present. */
  remove(idx: number): boolean {
    const pos = this.find(idx);
    if (pos < 0) return false;
    this.data.copyWithin(pos, pos + 1, this.count);
    this.count--;
    return true;
  }

  /** Members in [start, end) of the stable order. */
  slice(start: number, end: number): Int32Array {
    return this.data.subarray(Math.min(start, this.count), Math.min(end, this.count));
  }
}
