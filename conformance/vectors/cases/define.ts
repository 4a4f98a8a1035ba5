import type { VectorAlg } from '../keys.js';
import type { BuiltCredential, StatusListFile, Suite, VectorCase, VectorFormat } from '../suite.js';

/** A case before it is built: its verdict, the section that requires it, and how to make it. */
export type CaseDef = {
  name: string;
  title: string;
  expect: 'accept' | 'reject';
  /** netcred's code (`VALID` when accepted). */
  code: string;
  section: string;
  rationale: string;
  build: (s: Suite) => BuiltCredential;
  /** Status lists the case ships beyond the one its credential references. */
  lists?: (s: Suite) => StatusListFile[];
  only?: { alg?: VectorAlg; format?: VectorFormat };
  netcredNote?: string;
  /** netcred's verdict differs from the spec's (the case keeps the spec's): what netcred does. */
  netcredDiffers?: string;
};

export const accept = (name: string, title: string, section: string, rationale: string, build: CaseDef['build'], extra: Partial<CaseDef> = {}): CaseDef => ({
  name,
  title,
  expect: 'accept',
  code: 'VALID',
  section,
  rationale,
  build,
  ...extra,
});

export const reject = (
  name: string,
  title: string,
  code: string,
  section: string,
  rationale: string,
  build: CaseDef['build'],
  extra: Partial<CaseDef> = {},
): CaseDef => ({ name, title, expect: 'reject', code, section, rationale, build, ...extra });

/** The status lists a built credential references, from the suite's lists. */
function referencedLists(s: Suite, built: BuiltCredential): StatusListFile[] {
  const status = (built.payload as { status?: { status_list?: { uri?: unknown } } } | undefined)?.status;
  const uri = status?.status_list?.uri;
  const list = typeof uri === 'string' ? s.lists.get(uri) : undefined;
  return list ? [list] : [];
}

export function buildCase(s: Suite, group: string, def: CaseDef): VectorCase {
  s.beginCase(def.name);
  const built = def.build(s);
  const lists = [...referencedLists(s, built), ...(def.lists?.(s) ?? [])].filter((l, i, all) => all.findIndex((m) => m.uri === l.uri) === i);
  const c: VectorCase = {
    name: def.name,
    group,
    title: def.title,
    expect: def.expect,
    code: def.code,
    section: def.section,
    rationale: def.rationale,
    ...built,
    statusLists: lists,
    nonce: s.nonce,
  };
  if (def.expect === 'reject') delete c.verifiedClaims;
  if (def.netcredNote) c.netcredNote = def.netcredNote;
  if (def.netcredDiffers) c.netcredDiffers = def.netcredDiffers;
  return c;
}
