import { createPublicKey, ECDH } from 'node:crypto';
import type {
  IAgentContext,
  ICreateVerifiableCredentialArgs,
  ICreateVerifiablePresentationArgs,
  IDIDManager,
  IKey,
  IKeyManager,
  IResolver,
  IVerifyCredentialArgs,
  IVerifyPresentationArgs,
  IVerifyResult,
  VerifiableCredential,
  VerifiablePresentation,
} from '@veramo/core-types';
import type { ICredentialProvider, ProofFormatQuery, TentativeVerificationQuery } from '@veramo/credential-w3c';
import type { DIDDocument } from '../../core/did/document.js';
import { absoluteVmId } from '../../core/did/document.js';
import { DidError, InvalidInputError, NetcredError, toNetcredError } from '../../core/errors.js';
import type { JwsAlg } from '../../core/jose/alg.js';
import { jwkThumbprint, publicJwkOf, type PublicJwk } from '../../core/jose/jwk.js';
import type { JwsSigner } from '../../core/jose/signer.js';
import { envelope, unenvelope } from '../../core/vc/envelope.js';
import { VC_JOSE_MEDIA_TYPES, W3C_SD_JWT_TYP, type VcJoseMediaType } from '../../core/vc/formats.js';
import { issuerIdOf } from '../../core/vc/vcdm2.js';
import { normalizeVcdm2 } from './credential.js';
import { signVcJwt, signVcSdJwt } from './sign.js';
import { verifyVcJose } from './verify.js';

type ProviderContext = IAgentContext<IResolver & Pick<IDIDManager, 'didManagerGet'> & Pick<IKeyManager, 'keyManagerSign'>>;
type ResolverContext = IAgentContext<IResolver>;

const ALG_OF_KEY: Partial<Record<string, JwsAlg>> = { Ed25519: 'EdDSA', Secp256r1: 'ES256' };

/** The public JWK of a Veramo key (Ed25519 raw, P-256 compressed or uncompressed point). */
function jwkOfVeramoKey(key: IKey): PublicJwk {
  const raw = Buffer.from(key.publicKeyHex, 'hex');
  if (key.type === 'Ed25519') return { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') };
  const point = ECDH.convertKey(raw, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  return publicJwkOf(
    createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
      format: 'jwk',
    }),
  );
}

async function resolveDocument(context: ResolverContext, did: string, options?: unknown): Promise<DIDDocument> {
  let result;
  try {
    result = await context.agent.resolveDid({ didUrl: did, options: options as never });
  } catch (cause) {
    throw new DidError('DID_NOT_FOUND', `cannot resolve ${did}`, { cause });
  }
  if (!result.didDocument) {
    const error = result.didResolutionMetadata?.error;
    throw new DidError(
      error === 'invalidDid' ? 'DID_INVALID' : 'DID_NOT_FOUND',
      `cannot resolve ${did}: ${String(result.didResolutionMetadata?.message ?? error ?? 'no document')}`,
    );
  }
  return result.didDocument as DIDDocument;
}

function nowOf(now: unknown): Date {
  if (now instanceof Date) return now;
  if (typeof now === 'number') return new Date(now * 1000);
  return new Date();
}

/**
 * A Veramo credential provider for VCDM 2.0 secured with JOSE (W3C VC-JOSE-COSE):
 * proof formats `vc+sd-jwt` (SD-JWT, every credentialSubject property disclosable) and
 * `vc+jwt` (a plain JWS). Both return an EnvelopedVerifiableCredential
 * (`id: data:application/<format>,<token>`) and verify through `agent.verifyCredential`.
 *
 * Extra `createVerifiableCredential` arguments: `cnf: { jwk }` (holder key binding),
 * `exp` (signature expiry, epoch seconds; default validUntil), `now` (Date or epoch seconds).
 * List this provider before Veramo's CredentialProviderJWT: that one claims every string.
 */
export class CredentialProviderVcdm2 implements ICredentialProvider {
  /** DID URL (`kid` header) of each Veramo key, found in the issuer's DID document once. */
  private readonly kids = new Map<string, string>();

  getProofFormatsSupportedForKey(key: IKey): string[] {
    return ALG_OF_KEY[key.type] ? [...VC_JOSE_MEDIA_TYPES] : [];
  }

  canIssueProofFormat(query: ProofFormatQuery): boolean {
    return (VC_JOSE_MEDIA_TYPES as readonly string[]).includes(query.proofFormat);
  }

  canVerifyDocumentType(query: TentativeVerificationQuery): boolean {
    return unenvelope(query.document) !== undefined;
  }

  async createVerifiableCredential(args: ICreateVerifiableCredentialArgs, context: ProviderContext): Promise<VerifiableCredential> {
    const proofFormat = args.proofFormat as string;
    if (!this.canIssueProofFormat({ proofFormat })) throw new InvalidInputError(`proof format ${proofFormat} is not vc+sd-jwt or vc+jwt`);
    const now = nowOf(args.now);
    const vc = normalizeVcdm2(args.credential, now);
    const did = issuerIdOf(vc.issuer)!.split('?')[0]!.split('#')[0]!;
    if (!did.startsWith('did:')) throw new InvalidInputError('credential.issuer must be a DID managed by this agent');
    let identifier;
    try {
      identifier = await context.agent.didManagerGet({ did });
    } catch (cause) {
      throw new InvalidInputError(`credential.issuer ${did} is not a DID managed by this agent`, undefined, cause);
    }
    const key = args.keyRef
      ? identifier.keys.find((k) => k.kid === args.keyRef)
      : (identifier.keys.find((k) => k.kid === identifier.controllerKeyId && ALG_OF_KEY[k.type]) ?? identifier.keys.find((k) => ALG_OF_KEY[k.type]));
    if (!key) throw new NetcredError('KEY_NOT_FOUND', `no Ed25519 or P-256 signing key${args.keyRef ? ` ${args.keyRef}` : ''} for ${did}`);
    const alg = ALG_OF_KEY[key.type]!;
    const kid = await this.kidOf(context, did, key, args.resolutionOptions);
    const signer: JwsSigner = {
      alg,
      kid,
      async sign(data) {
        // JWS signing inputs are ASCII, so the utf-8 string form is byte-identical.
        const signature = await context.agent.keyManagerSign({
          keyRef: key.kid,
          algorithm: alg,
          data: Buffer.from(data).toString('latin1'),
          encoding: 'utf-8',
        });
        return Buffer.from(signature, 'base64url');
      },
    };
    const options = { iat: Math.floor(now.getTime() / 1000), exp: args.exp as number | undefined, cnf: args.cnf as { jwk: PublicJwk } | undefined };
    const token = proofFormat === W3C_SD_JWT_TYP ? await signVcSdJwt(vc, signer, options) : await signVcJwt(vc, signer, options);
    return envelope(proofFormat as VcJoseMediaType, token) as unknown as VerifiableCredential;
  }

  async verifyCredential(args: IVerifyCredentialArgs, context: ResolverContext): Promise<IVerifyResult> {
    const env = unenvelope(args.credential);
    if (!env)
      return {
        verified: false,
        error: { errorCode: 'invalid_credential', message: 'not an EnvelopedVerifiableCredential with a vc+sd-jwt or vc+jwt data URL' },
      };
    try {
      const policies = args.policies ?? {};
      const result = await verifyVcJose(env.token, env.mediaType, {
        resolve: (did) => resolveDocument(context, did, args.resolutionOptions),
        now: typeof policies.now === 'number' ? policies.now : undefined,
        checkTimes: policies.expirationDate !== false && policies.issuanceDate !== false,
      });
      return {
        verified: true,
        verifiableCredential: result.credential as unknown as VerifiableCredential,
        payload: result.payload,
        header: result.header,
        issuer: result.issuer,
      };
    } catch (err) {
      const e = toNetcredError(err);
      return { verified: false, error: { errorCode: e.code, message: e.message } };
    }
  }

  async createVerifiablePresentation(args: ICreateVerifiablePresentationArgs): Promise<VerifiablePresentation> {
    throw new NetcredError('UNSUPPORTED', `presentations in ${String(args.proofFormat)} are not supported: an SD-JWT is presented with a KB-JWT`);
  }

  async verifyPresentation(_args: IVerifyPresentationArgs): Promise<IVerifyResult> {
    return { verified: false, error: { errorCode: 'UNSUPPORTED', message: 'presentations are not supported by this provider' } };
  }

  /** The verification method of `key` in the issuer's DID document (its `kid`). */
  private async kidOf(context: ProviderContext, did: string, key: IKey, resolutionOptions?: unknown): Promise<string> {
    const cacheKey = `${did} ${key.kid}`;
    const cached = this.kids.get(cacheKey);
    if (cached) return cached;
    const doc = await resolveDocument(context, did, resolutionOptions);
    const want = jwkThumbprint(jwkOfVeramoKey(key));
    const vm = (doc.verificationMethod ?? []).find((v) => {
      if (!v.publicKeyJwk) return false;
      try {
        return jwkThumbprint(v.publicKeyJwk as PublicJwk) === want;
      } catch {
        return false;
      }
    });
    if (!vm) throw new NetcredError('KEY_NOT_IN_DID_DOCUMENT', `the DID document of ${did} lists no verification method with key ${key.kid}`);
    const kid = absoluteVmId(did, vm.id);
    this.kids.set(cacheKey, kid);
    return kid;
  }
}
