/** A claim path in the processed claims: member names and array indexes (as in DCQL `path`). */
export type ClaimPath = (string | number)[];

/**
 * One claim of an SD-JWT with every disclosure applied, and which disclosure (if any)
 * revealed it. A wallet walks this tree to find the fewest disclosures a claim path needs:
 * the claim's own, its ancestors', and those inside its value.
 */
export type ClaimNode = {
  /** The fully disclosed value (no `_sd`, `...` or `_sd_alg`). */
  value: unknown;
  /** Index into the disclosures of the disclosure that revealed this claim. */
  disclosure?: number;
  /** Object members or array elements (by index in the disclosed array); set for objects and arrays. */
  children?: Map<string | number, ClaimNode>;
};

/** Adds every disclosure inside a node's value to `into` (a whole object or array asked for as one claim). */
export function disclosuresWithin(node: ClaimNode, into: Set<number>): void {
  for (const child of node.children?.values() ?? []) {
    if (child.disclosure !== undefined) into.add(child.disclosure);
    disclosuresWithin(child, into);
  }
}

/**
 * Adds to `into` what revealing the claim at `path` (of `root.value`) takes: the disclosures of
 * the claim and its ancestors, and every one inside its value.
 */
export function disclosuresFor(root: ClaimNode, path: ClaimPath, into: Set<number>): void {
  let node: ClaimNode | undefined = root;
  for (const key of path) {
    node = node.children?.get(key);
    if (!node) return; // not a path of root.value: nothing to reveal
    if (node.disclosure !== undefined) into.add(node.disclosure);
  }
  disclosuresWithin(node, into);
}
