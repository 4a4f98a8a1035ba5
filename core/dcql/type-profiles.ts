import { NetcredError } from '../errors.js';
import type { DcqlQuery } from './types.js';
import { assertDcqlQuery } from './validate.js';

/**
 * A registered credential type's profiles (named DCQL queries) as they travel from the issuer's
 * discovery (`credential_types[].profiles`) into a verifier's trust bundle and a wallet: the same
 * rules on every side, so what the issuer registered is what the others accept.
 */
export type TypeProfiles = Record<string, DcqlQuery>;

/** Bounds of a type's profiles: how many, and the size of one query's JSON. */
export const TYPE_PROFILE_LIMITS = { profiles: 16, queryBytes: 16 * 1024 } as const;

/** A profile name: 1-32 of a-z, 0-9, `-` and `_`, starting with a letter or digit. */
export const TYPE_PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The built-in profiles of the resident identity: `--profile lite|upgraded` always means them, so no type may define them. */
export const BUILT_IN_PROFILE_NAMES: readonly string[] = ['lite', 'upgraded'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refuse(where: string, name: string | undefined, message: string): never {
  const path = name === undefined ? 'profiles' : `profiles/${name}`;
  throw new NetcredError('PROFILE_INVALID', `${where}: ${name === undefined ? 'profiles' : `profile ${name}`} ${message}`, {
    details: [{ path, message }],
  });
}

/**
 * The profiles of type `vct` as served (`{name: dcql}`), each a valid DCQL query (core/dcql,
 * without credential_sets) whose every credential query asks for `dc+sd-jwt` of exactly this
 * vct. `where` names the source in the message (issuer and type). Throws PROFILE_INVALID naming
 * the first bad profile: the caller stores none of them.
 */
export function parseTypeProfiles(value: unknown, vct: string, where: string): TypeProfiles {
  if (!isObject(value)) refuse(where, undefined, 'must be an object mapping profile names to DCQL queries');
  const names = Object.keys(value);
  if (names.length > TYPE_PROFILE_LIMITS.profiles) refuse(where, undefined, `holds ${names.length} profiles (at most ${TYPE_PROFILE_LIMITS.profiles})`);
  const out: TypeProfiles = {};
  for (const name of names) {
    if (!TYPE_PROFILE_NAME.test(name)) refuse(where, JSON.stringify(name).slice(0, 40), 'is not a profile name (1-32 of a-z, 0-9, - and _)');
    if (BUILT_IN_PROFILE_NAMES.includes(name)) refuse(where, name, 'is the name of a built-in profile');
    const query = value[name];
    if (JSON.stringify(query ?? null).length > TYPE_PROFILE_LIMITS.queryBytes) refuse(where, name, `is larger than ${TYPE_PROFILE_LIMITS.queryBytes} bytes`);
    try {
      assertDcqlQuery(query, { credentialSets: false });
    } catch (cause) {
      refuse(where, name, `is not a valid DCQL query (${(cause as Error).message})`);
    }
    query.credentials.forEach((c, i) => {
      if (c.format !== 'dc+sd-jwt') refuse(where, name, `credentials[${i}].format must be "dc+sd-jwt"`);
      if (c.meta?.vct_values?.length !== 1 || c.meta.vct_values[0] !== vct) refuse(where, name, `credentials[${i}].meta.vct_values must be ["${vct}"]`);
    });
    out[name] = query;
  }
  return out;
}
