import { describe, expect, it } from 'vitest';
import { createVerifier, createVerifierApp, listenApp, TrustStore } from '../../verifier/index.js';
// The status report of the kiosk page is an internal of the verifier app (GET /trust/status): tested at a fixed clock.
import { trustStatus } from '../../verifier/http/trust-status.js';
import { NOW, statusEntry, world } from './helpers/fixture.js';

describe('GET /trust/status: the bundle age and each list past its ttl', () => {
  it('reports the age of the bundle and of each list, past_ttl once a list is older than its ttl, stale past max age or exp', async () => {
    const w = await world();
    // One list fetched 600 s ago with ttl 3600 (fresh), one fetched 600 s ago with ttl 300 (past its ttl).
    const past = await statusEntry(w.issuer, w.list, { uri: 'https://issuer.example/status/lists/2', ttl: 300 });
    const store = await w.rebuild((b) => ({ ...b, updatedAt: new Date(NOW.getTime() - 900_000).toISOString(), statusLists: [...b.statusLists, past] }));
    const verifier = createVerifier({ trust: store, maxStatusAgeSeconds: 3 * 3600 });
    const report = trustStatus(verifier, NOW.getTime());
    expect(report.bundle_age_seconds).toBe(900);
    expect(report.max_status_age_seconds).toBe(3 * 3600);
    expect(report.status_lists.map((l) => [l.uri, l.age_seconds, l.ttl_seconds, l.past_ttl, l.stale])).toEqual([
      ['https://issuer.example/status/lists/1', 600, 3600, false, false],
      ['https://issuer.example/status/lists/2', 600, 300, true, false],
    ]);
    expect(report.past_ttl).toBe(1);
    expect(report.stale).toBe(0);
    // Four hours later both lists are older than max_status_age_seconds (3 h): stale.
    const later = trustStatus(verifier, NOW.getTime() + 4 * 3600_000);
    expect(later.stale).toBe(2);
    expect(later.past_ttl).toBe(2);
  });

  it('is served by the verifier app, uncached', async () => {
    const w = await world();
    const server = await listenApp(createVerifierApp({ verifier: createVerifier({ trust: new TrustStore(w.bundle) }) }));
    try {
      const res = await fetch(`${server.url}/trust/status`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as { issuers: number; status_lists: { uri: string }[]; bundle_updated_at: string };
      expect(body.issuers).toBe(1);
      expect(body.status_lists.map((l) => l.uri)).toEqual(['https://issuer.example/status/lists/1']);
      expect(body.bundle_updated_at).toBe(w.bundle.updatedAt);
    } finally {
      await server.close();
    }
  });
});
