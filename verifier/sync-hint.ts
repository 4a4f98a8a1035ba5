/**
 * The online step that fills or refreshes a trust bundle, as a command for messages: what a
 * verifier operator runs when a verdict says the bundle lacks something. The issuer's URL and the
 * bundle file are named when known.
 */
export function syncCommand(issuerUrl?: string, bundleFile?: string): string {
  return `netcred verifier sync --issuer ${issuerUrl ?? 'URL'} --bundle ${bundleFile ?? 'FILE'}`;
}
