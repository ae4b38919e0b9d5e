/** Where progress goes: stderr, which is a terminal or not. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001b[2K';

/**
 * One self-rewriting line on a terminal (a spinner, what is happening, the seconds so far), erased when
 * the work ends so only the result stays. Anywhere else (CI logs, a pipe, a file) it writes nothing.
 */
export class ProgressLine {
  private label = '';
  private frame = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    opts: { now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  get active(): boolean {
    return this.stream.isTTY === true;
  }

  start(label: string, intervalMs = 100): void {
    if (!this.active) return;
    this.label = label;
    this.startedAt = this.now();
    this.render();
    this.timer = setInterval(() => this.render(), intervalMs);
    // A spinner must never keep the process alive.
    this.timer.unref();
  }

  update(label: string): void {
    this.label = label;
  }

  /** Draws the line once; the timer calls it, and tests call it with their own clock. */
  render(): void {
    if (!this.active) return;
    const seconds = Math.floor((this.now() - this.startedAt) / 1000);
    const line = `${FRAMES[this.frame++ % FRAMES.length]} ${this.label} ${seconds} s`;
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.active) this.stream.write(CLEAR_LINE);
  }
}
