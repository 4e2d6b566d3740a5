import { Presets, SingleBar } from 'cli-progress';

/** A progress bar on stderr when it is a terminal; a line every 10% otherwise (logs, CI). */
export class ProgressReporter {
  private bar: SingleBar | null = null;
  private lastShare = -1;
  private total = 0;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number): void {
    this.total = total;
    if (this.stream.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          {
            format: `${this.label.padEnd(24)} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`,
            stream: this.stream,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
        this.bar.start(total, done);
      }
      this.bar.setTotal(total);
      this.bar.update(done);
      return;
    }
    const share = total === 0 ? 10 : Math.floor((done / total) * 10);
    if (share !== this.lastShare) {
      this.lastShare = share;
      this.stream.write(`${this.label}: ${done}/${total}\n`);
    }
  }

  stop(): void {
    if (this.bar) {
      this.bar.update(this.total);
      this.bar.stop();
      this.bar = null;
    }
  }
}
