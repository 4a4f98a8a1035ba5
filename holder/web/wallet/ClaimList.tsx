import type { Claim } from './client.js';
import { claimLabel, claimValue, type T } from './ui.js';

/** Claims as the holder reads them (label: value), each marked with its path for tests and tools. */
export function ClaimList(props: { t: T; claims: Claim[]; testId: string }) {
  return (
    <ul class="w-claims" data-testid={props.testId}>
      {props.claims.map((c) => (
        <li key={JSON.stringify(c.path)} data-path={JSON.stringify(c.path)}>
          <span class="w-claim-name">{claimLabel(props.t, c)}</span> <span class="w-claim-value">{claimValue(props.t, c.value)}</span>
        </li>
      ))}
    </ul>
  );
}
