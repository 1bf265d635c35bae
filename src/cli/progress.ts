// A one-line progress display on stderr, shown only on a terminal and only when the scan takes longer
// than a moment, and erased when done so the report below it stays clean.
const DELAY_MS = 300;

export class Progress {
  private readonly started = Date.now();
  private shown = false;
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream, private readonly enabled: boolean) {}

  update(done: number, total: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < DELAY_MS || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.shown = true;
    this.stream.write(`\r\x1b[2Kidem-scan: reading files ${done}/${total}…`);
  }

  done(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
