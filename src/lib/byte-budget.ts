/**
 * A process-wide budget of bytes held at once (a counting semaphore on bytes): each consultation takes
 * a hold, acquires bytes before it downloads a file and gives them all back when it ends. Waiters are
 * served in order; one that cannot be served within its timeout gets `false` and goes on without.
 */
export class ByteBudget {
  private held = 0;
  private readonly waiters: { bytes: number; grant: () => void }[] = [];

  constructor(readonly limit: number) {}

  /** Bytes held now, by every consultation of the process. */
  get inUse(): number {
    return this.held;
  }

  /** A consultation's share: what it acquires is all released by `release()`. */
  hold(): ByteHold {
    let mine = 0;
    let released = false;
    return {
      acquire: async (bytes, timeoutMs) => {
        if (released) return false;
        const ok = await this.acquire(bytes, timeoutMs);
        if (ok) mine += bytes;
        return ok;
      },
      release: () => {
        if (released) return;
        released = true;
        this.give(mine);
        mine = 0;
      },
    };
  }

  private acquire(bytes: number, timeoutMs: number): Promise<boolean> {
    if (bytes > this.limit) return Promise.resolve(false);
    if (this.waiters.length === 0 && this.held + bytes <= this.limit) {
      this.held += bytes;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter = {
        bytes,
        grant: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        resolve(false);
        // The queue's head may have been this waiter; those behind it may fit now.
        this.serve();
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    this.serve();
  }

  private serve(): void {
    for (;;) {
      const next = this.waiters[0];
      if (!next || this.held + next.bytes > this.limit) return;
      this.waiters.shift();
      this.held += next.bytes;
      next.grant();
    }
  }
}

export interface ByteHold {
  /** Takes `bytes` from the budget, waiting up to `timeoutMs`; false when they could not be had. */
  acquire(bytes: number, timeoutMs: number): Promise<boolean>;
  /** Gives back everything this hold took; idempotent. */
  release(): void;
}
