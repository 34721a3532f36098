/**
 * A one-line progress bar on stderr (stdout stays for results): redrawn in place on a terminal at most
 * every 100 ms, otherwise only `done()` lines are printed so logs stay readable.
 */
export class ProgressBar {
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly width = 24) {}

  update(label: string, fraction: number, suffix: string): void {
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    const filled = Math.round(Math.max(0, Math.min(1, fraction)) * this.width);
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(this.width - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}% ${suffix}\x1b[K`);
  }

  done(line: string): void {
    process.stderr.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
  }
}
