/*
 * Requests start one per turn of the event loop, in arrival order.
 *
 * Node's event loop (libuv ≥ 1.45, Node 20) accepts at most one new connection per turn (libuv/libuv#3696). On
 * SQLite a request's work is synchronous (better-sqlite3), so without turns one turn ran, to the end, a request
 * from every connection that had one ready: with 150 busy keep-alive clients a turn lasted about a second, and a
 * client connecting then waited in the kernel's accept queue for as many seconds as clients were ahead of it —
 * 30 s and more in the 200-client load run (docs/reliability.md, "Load"), and a health check on a new connection
 * the same. Taking one request per turn keeps each turn short, so new connections are accepted while the
 * server is busy and established connections cannot crowd them out. On PostgreSQL requests wait on the pool
 * anyway; the turn only orders their start.
 */

/** A FIFO of requests waiting to start; each is let go in its own `setImmediate`, one per event-loop turn. */
export class RequestTurns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves on a later turn of the event loop, after everyone who asked before. */
  next(): Promise<void> {
    return new Promise((resolve) => this.enqueue(resolve));
  }

  /** Calls `start` on a later turn of the event loop, after everyone who asked before (no promise made). */
  enqueue(start: () => void): void {
    this.waiting.push(start);
    this.schedule();
  }

  /** How many requests are waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.release);
  }

  // An immediate scheduled while immediates run waits for the next turn; the request released here runs (its
  // synchronous part, up to its first real I/O wait) in the microtasks right after this callback.
  private readonly release = () => {
    this.scheduled = false;
    const next = this.waiting.shift();
    if (this.waiting.length > 0) this.schedule();
    next?.();
  };
}
