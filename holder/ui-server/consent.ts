import { randomBytes, type X509Certificate } from 'node:crypto';
import { isNetcredError } from '../../core/errors.js';
import { respondToRequest, type RespondResult, type ResponseSummary } from '../oid4vp/respond.js';
import type { Wallet } from '../wallet.js';
import { WalletUiError } from './errors.js';

/** A consent screen left open longer than this is declined (the verifier is told access_denied). */
export const CONSENT_TIMEOUT_MS = 5 * 60 * 1000;

export type ConsentOutcome = { status: 'sent'; result: RespondResult } | { status: 'declined' };

type Pending = { decide(send: boolean): void; outcome: Promise<ConsentOutcome>; timer: NodeJS.Timeout };

/**
 * OpenID4VP in two steps for a page: `open` resolves and checks the request and computes what
 * would be disclosed (the wallet library's DCQL selection, nothing signed yet), then waits; the
 * holder's `decide` sends (the presentation is signed and posted) or declines (the verifier is
 * told access_denied). The pending answer is held in `respondToRequest`'s confirm step itself,
 * so what is shown is exactly what is signed.
 */
export class Consents {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly timeoutMs = CONSENT_TIMEOUT_MS) {}

  async open(wallet: Wallet, uri: string, trustedRoots: readonly X509Certificate[]): Promise<{ id: string; summary: ResponseSummary }> {
    let shown!: (s: ResponseSummary) => void;
    const summary = new Promise<ResponseSummary>((resolve) => (shown = resolve));
    let decide!: (send: boolean) => void;
    const decision = new Promise<boolean>((resolve) => (decide = resolve));
    const outcome: Promise<ConsentOutcome> = respondToRequest(wallet, uri, {
      trustedRoots,
      confirm: (s) => {
        shown(s);
        return decision;
      },
    }).then(
      (result) => ({ status: 'sent', result }) as const,
      (err: unknown) => {
        if (isNetcredError(err, 'CONFIRMATION_DECLINED')) return { status: 'declined' } as const;
        throw err;
      },
    );
    // Fails before the consent screen (a bad request, nothing that answers): the error is the answer.
    const first = await Promise.race([summary, outcome]);
    if ('status' in first) throw new WalletUiError('INTERNAL', 'the request was answered without a confirmation');
    const id = randomBytes(16).toString('base64url');
    const timer = setTimeout(() => this.drop(id), this.timeoutMs);
    timer.unref();
    outcome.catch(() => undefined); // observed by decide(); never an unhandled rejection meanwhile
    this.pending.set(id, { decide, outcome, timer });
    return { id, summary: first };
  }

  /** Sends or declines; WALLET_UI_CONSENT_UNKNOWN for an id that is not waiting (decided, timed out, dropped at lock). */
  async decide(id: string, send: boolean): Promise<ConsentOutcome> {
    const p = this.pending.get(id);
    if (!p)
      throw new WalletUiError(
        'WALLET_UI_CONSENT_UNKNOWN',
        'this consent screen is no longer open (decided, timed out, or the wallet locked): scan the request again',
      );
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.decide(send);
    return p.outcome;
  }

  /** Declines one pending consent (timeout). */
  private drop(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.decide(false);
  }

  /** Declines every pending consent (the wallet locked, the server stops). */
  dropAll(): void {
    for (const id of [...this.pending.keys()]) this.drop(id);
  }
}
