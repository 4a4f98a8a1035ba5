import { sdDigest } from '../../core/index.js';
import type { SeededBytes } from './random.js';

/** A selectively disclosable value in a claims tree (`!sd` in the Python reference's YAML). */
export type Sd = { readonly sd: true; readonly value: Tree };
export type Tree = string | number | boolean | null | Sd | Tree[] | { [name: string]: Tree };

export const sd = (value: Tree): Sd => ({ sd: true, value });
export const isSd = (v: unknown): v is Sd => typeof v === 'object' && v !== null && (v as Sd).sd === true && 'value' in v && Object.keys(v).length === 2;

/** One disclosure made while packing: `path` names it ("address.street", "nationalities[1]"). */
export type MadeDisclosure = { path: string; encoded: string; digest: string; array: boolean };

export const encodeDisclosure = (parts: unknown[]): string => Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');

type PackContext = { random: SeededBytes; label: string; decoys: boolean; out: MadeDisclosure[] };

function decoys(ctx: PackContext, path: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => sdDigest(ctx.random.bytes(`decoy:${ctx.label}:${path}:${i}`, 32).toString('base64url')));
}

function packValue(v: Tree, path: string, ctx: PackContext): unknown {
  if (Array.isArray(v)) {
    const arr: unknown[] = v.map((el, i) => {
      const p = `${path}[${i}]`;
      if (!isSd(el)) return packValue(el, p, ctx);
      const encoded = encodeDisclosure([ctx.random.salt(`${ctx.label}:${p}`), packValue(el.value, p, ctx)]);
      const digest = sdDigest(encoded);
      ctx.out.push({ path: p, encoded, digest, array: true });
      return { '...': digest };
    });
    if (ctx.decoys && v.some(isSd)) for (const d of decoys(ctx, path, 1)) arr.push({ '...': d });
    return arr;
  }
  if (v !== null && typeof v === 'object' && !isSd(v)) {
    const obj: Record<string, unknown> = {};
    const digests: string[] = [];
    for (const [name, child] of Object.entries(v)) {
      const p = path === '' ? name : `${path}.${name}`;
      if (!isSd(child)) {
        obj[name] = packValue(child, p, ctx);
        continue;
      }
      const encoded = encodeDisclosure([ctx.random.salt(`${ctx.label}:${p}`), name, packValue(child.value, p, ctx)]);
      const digest = sdDigest(encoded);
      ctx.out.push({ path: p, encoded, digest, array: false });
      digests.push(digest);
    }
    if (digests.length > 0) {
      if (ctx.decoys) digests.push(...decoys(ctx, path, ctx.random.int(`decoys:${ctx.label}:${path}`, 1, 3)));
      obj._sd = digests.sort();
    }
    return obj;
  }
  if (isSd(v)) throw new Error(`${path}: a selectively disclosable value must be an object member or an array element`);
  return v;
}

/** Packs a claims tree as RFC 9901 section 4.2 says: digests in `_sd` (sorted, with decoys) and `{"...": digest}` elements. */
export function pack(
  tree: { [name: string]: Tree },
  random: SeededBytes,
  label: string,
  options: { decoys?: boolean } = {},
): { payload: Record<string, unknown>; disclosures: MadeDisclosure[] } {
  const ctx: PackContext = { random, label, decoys: options.decoys ?? true, out: [] };
  const payload = packValue(tree, '', ctx) as Record<string, unknown>;
  return { payload, disclosures: ctx.out };
}

/** The claims a verifier must end with: disclosed values in place, undisclosed ones (and decoys) gone. */
export function expectedClaims(tree: Tree, disclosed: (path: string) => boolean, path = ''): unknown {
  if (Array.isArray(tree)) {
    const out: unknown[] = [];
    tree.forEach((el, i) => {
      const p = `${path}[${i}]`;
      if (isSd(el)) {
        if (disclosed(p)) out.push(expectedClaims(el.value, disclosed, p));
      } else out.push(expectedClaims(el, disclosed, p));
    });
    return out;
  }
  if (tree !== null && typeof tree === 'object' && !isSd(tree)) {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(tree)) {
      const p = path === '' ? name : `${path}.${name}`;
      if (isSd(child)) {
        if (disclosed(p)) out[name] = expectedClaims(child.value, disclosed, p);
      } else out[name] = expectedClaims(child, disclosed, p);
    }
    return out;
  }
  return tree;
}

/** The tree without its `!sd` marks (the Python reference's user_claims.json). */
export function plainClaims(tree: Tree): unknown {
  return expectedClaims(tree, () => true);
}
