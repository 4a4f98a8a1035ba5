import net from 'node:net';
import { NetcredError } from '../../core/errors.js';

export type Destination = { host: string; port: number | null };

type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

/** Where a `Socket.prototype.connect` call goes, whatever form its arguments take (net.connect passes a normalized array). */
function destinationOf(args: unknown[]): Destination {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (typeof first === 'number' || typeof first === 'string') return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  const o = (first ?? {}) as { host?: string; port?: number | string; path?: string };
  if (o.path) return { host: o.path, port: null };
  return { host: o.host ?? 'localhost', port: o.port === undefined ? null : Number(o.port) };
}

/**
 * Watches every outgoing TCP connection this process opens (fetch/undici, http, net all end in
 * Socket.prototype.connect) and can refuse some: how the demo shows that verification opens no
 * connection, and cuts the verifier off from the issuer while it is "offline".
 */
export class NetWatch {
  private original: Connect | undefined;
  readonly attempts: (Destination & { refused: boolean })[] = [];
  private block: ((d: Destination) => boolean) | undefined;

  install(): void {
    if (this.original) return;
    const original = net.Socket.prototype.connect as unknown as Connect;
    this.original = original;
    const watch = this;
    (net.Socket.prototype as unknown as { connect: Connect }).connect = function (this: net.Socket, ...args: unknown[]) {
      const dest = destinationOf(args);
      const refused = watch.block?.(dest) ?? false;
      watch.attempts.push({ ...dest, refused });
      if (refused) {
        process.nextTick(() => this.destroy(new NetcredError('OFFLINE', `connection to ${dest.host}:${dest.port} refused: this party is offline`)));
        return this;
      }
      return original.apply(this, args);
    };
  }

  uninstall(): void {
    if (!this.original) return;
    (net.Socket.prototype as unknown as { connect: Connect }).connect = this.original;
    this.original = undefined;
    this.block = undefined;
  }

  /** Refuse connections matching `rule` from now on (undefined: allow all again). */
  setBlock(rule: ((d: Destination) => boolean) | undefined): void {
    this.block = rule;
  }

  /** Runs `fn` and returns the connection attempts made while it ran (optionally refusing every one). */
  async during<T>(fn: () => T | Promise<T>, options: { refuseAll?: boolean } = {}): Promise<{ result: T; connections: Destination[] }> {
    const before = this.attempts.length;
    const previous = this.block;
    if (options.refuseAll) this.block = () => true;
    try {
      const result = await fn();
      // A connection started asynchronously by fn would be attempted on a later tick: wait for it.
      await new Promise((resolve) => setImmediate(resolve));
      return { result, connections: this.attempts.slice(before).map(({ host, port }) => ({ host, port })) };
    } finally {
      if (options.refuseAll) this.block = previous;
    }
  }
}
