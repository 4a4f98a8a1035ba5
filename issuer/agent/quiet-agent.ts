import { Agent } from '@veramo/core';

// Same switch as the `debug` package: DEBUG=veramo:* (or *) turns Veramo's logging on.
const VERAMO_DEBUG = /veramo|\*/.test(process.env.DEBUG ?? '');

/**
 * Veramo's Agent.execute creates two `debug` loggers on every call (about 5 µs each, measured),
 * which costs more than the signature itself on the keyManagerSign hot path. This agent calls
 * the plugin method directly unless DEBUG enables Veramo's logs, in which case it is exactly
 * Agent.execute. Schema validation stays off (Veramo's default; the issuer never enables it).
 */
export class QuietAgent extends Agent {
  // biome-ignore lint/suspicious/noExplicitAny: the defaults of Veramo's Agent.execute, which this overrides.
  override async execute<P = any, R = any>(method: string, args: P): Promise<R> {
    if (VERAMO_DEBUG) return super.execute<P, R>(method, args);
    const fn = this.methods[method];
    if (!fn) throw Error(`Method not available: ${method}`);
    return fn((args ?? {}) as P, { ...this.context, agent: this }) as Promise<R>;
  }
}
