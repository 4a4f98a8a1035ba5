import type { PublicJwk } from '../core/jose/jwk.js';
import type { ProfileName } from '../schemas/profiles/index.js';
import type { VerifyCode } from './errors.js';

/** What `verifyPresentation` answers. A rejection has `valid: false` and a stable `code`. */
export type VerificationResult = {
  valid: boolean;
  code?: VerifyCode;
  message?: string;
  /** `iss` of the credential (known once its signature verified). */
  issuer: string | null;
  vct: string | null;
  /** `dc+sd-jwt` or `vc+sd-jwt`. */
  format: string | null;
  /** The disclosed claims (empty on rejection: nothing unverified is handed out). */
  claims: Record<string, unknown>;
  holderKey: PublicJwk | null;
  status: { value: number | null; listAge: number | null; pastTtl?: boolean };
  /** The profile checked: `lite`, `upgraded`, or a registered type's profile name. */
  profile: ProfileName | (string & {}) | null;
  /** The key-binding proof that was checked. */
  keyBinding: { aud: string; nonce: string; iat: number } | null;
  /**
   * What a valid result did not check, when anything: `keyBinding` (no KB-JWT, accepted with
   * `requireKeyBinding: false`), `status` (`checkStatus: false`).
   */
  notChecked?: ('keyBinding' | 'status')[];
};
