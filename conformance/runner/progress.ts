/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in logs or CI). */
export class Progress {
  private done = 0;
  private failed = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = stream.isTTY === true;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  tick(pass: boolean, name: string): void {
    this.done++;
    if (!pass) this.failed++;
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    this.stream.write(`\r[${bar}] ${this.done}/${this.total} ${this.failed} failed  ${name.slice(0, 40).padEnd(40)}`);
  }

  end(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}
