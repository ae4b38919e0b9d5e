/** A fake's deliberate delays (latency, pauses between stream events), all cancelled by its close(). */
export class Delays {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Resolves after `ms`; never, once cancelled, so a slow answer never outlives the fake. */
  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
