import { predictTree, treeSchema, TreeBuilder, type Tree } from './tree';

/** x0 < 5 → 1; else x1 < 0 → 2, else 3. */
function sampleTree(): Tree {
  const builder = new TreeBuilder();
  const root = builder.leaf(0);
  const low = builder.leaf(1);
  const high = builder.leaf(0);
  builder.branch(root, 0, 5, low, high);
  const negative = builder.leaf(2);
  const positive = builder.leaf(3);
  builder.branch(high, 1, 0, negative, positive);
  return builder.build();
}

describe('flat regression trees', () => {
  it('when rows are walked down, then values below a threshold go left and the rest (ties too) go right', () => {
    const tree = sampleTree();

    expect(
      [
        [4.9, 9],
        [5, -1],
        [5, 0],
        [7, 3],
      ].map((row) => predictTree(tree, row)),
    ).toEqual([1, 2, 3, 3]);
  });

  it('when a tree is checked, then a well-formed one passes and a cyclic or ragged one is refused', () => {
    const tree = sampleTree();

    expect(treeSchema.safeParse(tree).success).toBe(true);
    expect(treeSchema.safeParse({ ...tree, left: [0, -1, 3, -1, -1] }).success).toBe(false);
    expect(treeSchema.safeParse({ ...tree, value: [1] }).success).toBe(false);
    expect(treeSchema.safeParse({ ...tree, right: [2, -1, 9, -1, -1] }).success).toBe(false);
  });
});
