import type { ClaimsPathPointer } from './types.js';

export type { ClaimsPathPointer };

/** Array indexes a pointer may hold; beyond 2^53 an index is not exact. */
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A claim a pointer selected: where it is (no nulls left) and its value. */
export type SelectedClaim = { path: (string | number)[]; value: unknown };

/** Whether `value` is a claims path pointer: a non-empty array of strings, nulls and non-negative integers (section 7). */
export function isClaimsPathPointer(value: unknown): value is ClaimsPathPointer {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string' || p === null || isIndex(p));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The claims a pointer selects in a JSON credential (OpenID4VP 1.0 section 7.1, which SD-JWT VC
 * type metadata uses too): a string selects that member of every selected object, null every
 * element and an integer that element of every selected array. A step of another kind, or into
 * something of the wrong kind, is an error there, so nothing is selected; a missing member or
 * index only drops that element. Own members only: `toString` is no claim.
 */
export function selectClaims(root: unknown, pointer: Readonly<ClaimsPathPointer>): SelectedClaim[] {
  let selected: SelectedClaim[] = [{ path: [], value: root }];
  for (const step of pointer) {
    if (!(typeof step === 'string' || step === null || isIndex(step))) return [];
    const next: SelectedClaim[] = [];
    for (const { path, value } of selected) {
      if (typeof step === 'string') {
        if (!isObject(value)) return [];
        if (Object.hasOwn(value, step)) next.push({ path: [...path, step], value: value[step] });
      } else {
        if (!Array.isArray(value)) return [];
        if (step === null)
          value.forEach((v, i) => {
            next.push({ path: [...path, i], value: v });
          });
        else if (step < value.length) next.push({ path: [...path, step], value: value[step] });
      }
    }
    selected = next;
  }
  return selected;
}

/** The values a pointer selects; empty when it selects nothing. */
export function claimValues(root: unknown, pointer: Readonly<ClaimsPathPointer>): unknown[] {
  return selectClaims(root, pointer).map((c) => c.value);
}
