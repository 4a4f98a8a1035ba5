import { createHmac } from 'node:crypto';

/**
 * Every byte the generator would otherwise draw at random (keys, salts, decoys) comes from
 * HMAC-SHA256(seed, label || counter): the same seed and label give the same bytes, so a suite
 * generated twice with one `--seed` is byte-identical.
 */
export class SeededBytes {
  private readonly seed: Buffer;

  constructor(seed: string) {
    this.seed = Buffer.from(`netcred-vectors:${seed}`, 'utf8');
  }

  bytes(label: string, length: number): Buffer {
    const out: Buffer[] = [];
    for (let counter = 0, have = 0; have < length; counter++) {
      const block = createHmac('sha256', this.seed).update(`${label}\u0000${counter}`).digest();
      out.push(block);
      have += block.length;
    }
    return Buffer.concat(out).subarray(0, length);
  }

  /** A 128-bit salt (RFC 9901 section 9.3 asks for at least 128 bits), base64url. */
  salt(label: string): string {
    return this.bytes(`salt:${label}`, 16).toString('base64url');
  }

  /** An integer in [min, max]. */
  int(label: string, min: number, max: number): number {
    return min + (this.bytes(`int:${label}`, 4).readUInt32BE(0) % (max - min + 1));
  }
}
