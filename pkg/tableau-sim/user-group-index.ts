/**
 * Which groups each user belongs to, built lazily from the groups' member lists in a compact
 * offsets/entries layout, so "Get Groups for a User" does not scan 5,000 groups per call.
 */
import type { SimGroup } from './site-store.js';

export class UserGroupIndex {
  private constructor(
    private readonly offsets: Int32Array,
    private readonly entries: Int32Array,
    private readonly groups: readonly SimGroup[],
  ) {}

  /** Indexes the explicit member lists of `groups` ("All Users" is implicit and skipped). */
  static build(allGroups: readonly SimGroup[], userCount: number): UserGroupIndex {
    const groups = allGroups.filter((g) => !g.allUsers);
    const offsets = new Int32Array(userCount + 1);
    for (const group of groups) {
      const members = group.members.slice(0, group.members.size);
      for (let i = 0; i < members.length; i++) {
        const slot = (members[i] as number) + 1;
        offsets[slot] = (offsets[slot] as number) + 1;
      }
    }
    for (let idx = 0; idx < userCount; idx++) offsets[idx + 1] = (offsets[idx + 1] as number) + (offsets[idx] as number);
    const entries = new Int32Array(offsets[userCount] as number);
    const next = offsets.slice(0, userCount);
    groups.forEach((group, position) => {
      const members = group.members.slice(0, group.members.size);
      for (let i = 0; i < members.length; i++) {
        const idx = members[i] as number;
        entries[next[idx] as number] = position;
        next[idx] = (next[idx] as number) + 1;
      }
    });
    return new UserGroupIndex(offsets, entries, groups);
  }

  /** The explicit groups of one user, in group order. */
  groupsOf(idx: number): SimGroup[] {
    if (idx + 1 >= this.offsets.length) return [];
    const out: SimGroup[] = [];
    for (let at = this.offsets[idx] as number; at < (this.offsets[idx + 1] as number); at++) {
      out.push(this.groups[this.entries[at] as number] as SimGroup);
    }
    return out;
  }
}
