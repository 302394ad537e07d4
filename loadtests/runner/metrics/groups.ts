// The handleSummary `root_group` tree, rebuilt from `checks` and `group_duration` samples in first-seen
// order, as k6's GroupSummary output does (K:lib/test_state.go, K:lib/models.go).
import { createHash } from 'node:crypto';
import type { Tags } from './types.ts';

export const GROUP_SEPARATOR = '::';

export interface SummaryCheck {
  name: string;
  path: string;
  id: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  path: string;
  id: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

class GroupNode {
  readonly id: string;
  private readonly groups = new Map<string, GroupNode>();
  private readonly checks = new Map<string, SummaryCheck>();
  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.id = md5Hex(path);
  }

  child(name: string): GroupNode {
    let g = this.groups.get(name);
    if (!g) {
      g = new GroupNode(name, this.path + GROUP_SEPARATOR + name);
      this.groups.set(name, g);
    }
    return g;
  }

  check(name: string): SummaryCheck {
    let c = this.checks.get(name);
    if (!c) {
      const path = this.path + GROUP_SEPARATOR + name;
      c = { name, path, id: md5Hex(path), passes: 0, fails: 0 };
      this.checks.set(name, c);
    }
    return c;
  }

  export(): SummaryGroup {
    return {
      name: this.name,
      path: this.path,
      id: this.id,
      groups: [...this.groups.values()].map((g) => g.export()),
      checks: [...this.checks.values()].map((c) => ({ ...c })),
    };
  }
}

export class GroupTree {
  private readonly root = new GroupNode('', '');
  /** Last group path resolved; samples usually arrive in runs from the same group. */
  private lastPath: string | undefined;
  private lastNode: GroupNode | undefined;

  private resolve(groupTag: string): GroupNode {
    if (groupTag === this.lastPath && this.lastNode) return this.lastNode;
    let node = this.root;
    const parts = groupTag.split(GROUP_SEPARATOR);
    for (let i = 1; i < parts.length; i++) node = node.child(parts[i] as string);
    this.lastPath = groupTag;
    this.lastNode = node;
    return node;
  }

  /** Feed a `group_duration` sample: creates its group (and parents) if first seen. */
  addGroupDuration(tags: Tags): void {
    const g = tags.group;
    if (g !== undefined) this.resolve(g);
  }

  /** Feed a `checks` sample: counts a pass (value ≠ 0) or a fail on the check in its group. */
  addCheck(tags: Tags, value: number): void {
    const g = tags.group;
    if (g === undefined) return;
    const node = this.resolve(g);
    const name = tags.check;
    if (name === undefined) return;
    const c = node.check(name);
    if (value === 0) c.fails += 1;
    else c.passes += 1;
  }

  export(): SummaryGroup {
    return this.root.export();
  }
}

/** Checks by name across all groups, first-seen order: what the v1 text summary lists. */
export class CheckTotals {
  readonly ordered: { name: string; passes: number; fails: number }[] = [];
  private readonly byName = new Map<string, { name: string; passes: number; fails: number }>();
  add(tags: Tags, value: number): void {
    const name = tags.check;
    if (name === undefined) return;
    let c = this.byName.get(name);
    if (!c) {
      c = { name, passes: 0, fails: 0 };
      this.byName.set(name, c);
      this.ordered.push(c);
    }
    if (value === 0) c.fails += 1;
    else c.passes += 1;
  }
}
