import { z } from 'zod';

/**
 * Regression trees in one flat, JSON-safe layout shared by every tree learner: node i is a leaf when
 * `feature[i]` is -1 (its prediction is `value[i]`), otherwise rows with x[feature] < threshold go to `left[i]`
 * and the others to `right[i]`. Serving walks these arrays, whatever library grew the tree.
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export const treeSchema: z.ZodType<Tree> = z
  .object({
    feature: z.array(z.number().int().min(-1)),
    threshold: z.array(z.number()),
    left: z.array(z.number().int().min(-1)),
    right: z.array(z.number().int().min(-1)),
    value: z.array(z.number()),
  })
  .strict()
  .refine((t) => {
    const n = t.feature.length;
    if (n === 0 || [t.threshold, t.left, t.right, t.value].some((a) => a.length !== n)) return false;
    // Children always come after their parent, so a walk ends: no cycles, no index out of range.
    return t.feature.every(
      (f, i) =>
        f === -1 ||
        ((t.left[i] as number) > i &&
          (t.left[i] as number) < n &&
          (t.right[i] as number) > i &&
          (t.right[i] as number) < n),
    );
  }, 'a tree needs equally long arrays, at least one node, and children after their parent');

export function predictTree(tree: Tree, row: readonly number[]): number {
  let node = 0;
  for (;;) {
    const feature = tree.feature[node] as number;
    if (feature < 0) return tree.value[node] as number;
    node =
      (row[feature] as number) < (tree.threshold[node] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
  }
}

/** Builds a tree node by node: every node starts as a leaf, and `branch` turns one into a split. */
export class TreeBuilder {
  private readonly tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };

  /** Adds a leaf and returns its id. */
  leaf(value: number): number {
    const id = this.tree.feature.length;
    this.tree.feature.push(-1);
    this.tree.threshold.push(0);
    this.tree.left.push(-1);
    this.tree.right.push(-1);
    this.tree.value.push(value);
    return id;
  }

  /** Makes `node` send rows with x[feature] < threshold to `left`, the others to `right` (both added later). */
  branch(node: number, feature: number, threshold: number, left: number, right: number): void {
    this.tree.feature[node] = feature;
    this.tree.threshold[node] = threshold;
    this.tree.left[node] = left;
    this.tree.right[node] = right;
  }

  build(): Tree {
    return this.tree;
  }
}
