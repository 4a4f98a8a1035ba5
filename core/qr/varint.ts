/** Unsigned LEB128 varints for the QR transport's binary packing (values below 2^31). */
export class ByteWriter {
  private readonly chunks: Buffer[] = [];

  varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.chunks.push(Buffer.from(bytes));
  }

  bytes(b: Uint8Array): void {
    this.chunks.push(Buffer.from(b));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Reads what ByteWriter wrote; `fail` is called (and must throw) on truncated or oversized input. */
export class ByteReader {
  private pos = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly fail: (why: string) => never,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      if (shift === 28 && b > 0x07) this.fail('varint too large');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (b === 0 && shift > 0) this.fail('non-minimal varint');
        return result;
      }
      shift += 7;
    }
  }

  /** Everything not read yet. */
  rest(): Buffer {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  bytes(n: number): Buffer {
    if (n > this.buf.length - this.pos) this.fail('truncated data');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
