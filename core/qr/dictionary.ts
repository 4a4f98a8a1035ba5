/**
 * The preset DEFLATE dictionary of transport version 1 ("NC1:"). Part of the format: it can
 * never change without a new version prefix. It holds the JSON text an SD-JWT VC identity
 * presentation repeats (headers, registered claims, the identity claim names), most
 * frequent last (DEFLATE prefers short back-references).
 */
const V1_TEXT = [
  '"vc+sd-jwt","cty":"vc"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"],"credentialSubject":{',
  '"credentialStatus":{"type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"","statusListCredential":"',
  '{"alg":"EdDSA","typ":"kb+jwt"}{"alg":"EdDSA","typ":"dc+sd-jwt","kid":"did:key:z6Mk',
  '"cnf":{"jwk":{"kty":"OKP","crv":"Ed25519","x":"',
  '"nbf":"sub":"did:jwk:eyJrdHkiOiJFQyIsImNydiI6IlAtMjU2IiwieCI6I"did:web:',
  '"issuing_authority","issuing_country","nationality","sex","M","F","birthdate","19","id_number",',
  '"address",{"_sd":["street_address","locality","postal_code","country",',
  '"status":{"status_list":{"idx":,"uri":"https://status/lists/"}},',
  '"cnf":{"jwk":{"kty":"EC","crv":"P-256","x":"","y":""}},',
  '{"iss":"did:key:zDn","vct":"urn:netcred:vct:resident-identity:1","iat":17,"exp":18,',
  '"_sd_alg":"sha-256"}"_sd":["","',
  '","alg":"EdDSA"}","alg":"ES256"}{"alg":"ES256","typ":"dc+sd-jwt","kid":"did:key:zDn#{"typ":"dc+sd-jwt","kid":"did:key:zDn',
  '"sub","did:jwk:eyJ"given_name","family_name","age_over_18",true]',
  '{"typ":"kb+jwt","alg":"ES256"}{"alg":"ES256","typ":"kb+jwt"}{"iat":17,"aud":"netcred:kiosk","nonce":"","sd_hash":"',
].join('');

export const QR_DICTIONARY_V1 = Buffer.from(V1_TEXT, 'utf8');
