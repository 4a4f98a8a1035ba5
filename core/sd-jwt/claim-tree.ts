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
