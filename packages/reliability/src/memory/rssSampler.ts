/** Samples a process's RSS on an interval while a run goes on. */
export interface RssSample {
  atMs: number;
  bytes: number;
}

export function sampleRss(read: () => number, everyMs = 1_000) {
  const samples: RssSample[] = [];
  const started = performance.now();
  const take = () => {
    try {
      samples.push({ atMs: performance.now() - started, bytes: read() });
    } catch {
      // The process is gone: the run itself reports that.
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/**
 * The floor of the RSS in [fromShare, toShare] of the run's length: its lowest sample. Under load
 * the RSS is a saw (the heap grows until a major GC, ~20 s here, then drops); what a leak raises is
 * the floor the saw drops back to, so windows are compared by their floors.
 */
export function floorBetween(samples: readonly RssSample[], fromShare: number, toShare: number): number {
  const end = samples.at(-1)?.atMs ?? 0;
  const window = samples.filter((s) => s.atMs >= end * fromShare && s.atMs <= end * toShare).map((s) => s.bytes);
  return window.length === 0 ? 0 : Math.min(...window);
}
