/**
 * Runs the projector and the outbox worker in the background of this process: right after each
 * append or use case (`kick`), and on an interval for leftovers, retries and other processes'
 * events (`start`). At most one round runs at a time; `settle` waits until nothing is ready.
 */
import type { BatchResult } from "../ports/storage.ts";

export class Pump {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly steps: ReadonlyArray<() => Promise<BatchResult>>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Schedules a round; a kick during a round makes it run once more. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rounds().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once no round is running and nothing is left that is ready now. */
  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async rounds(): Promise<void> {
    try {
      do {
        this.again = false;
        let busy = true;
        while (busy) {
          busy = false;
          // One batch of the first step (projection), then each later step (delivery) until it
          // has nothing left, so side effects keep pace and never pile up behind projection.
          for (const [i, step] of this.steps.entries()) {
            for (;;) {
              const { done, failed } = await step();
              if (done + failed === 0) break;
              busy = true;
              if (i === 0) break;
            }
          }
        }
      } while (this.again);
    } catch (error) {
      this.onError(error);
    }
  }
}
