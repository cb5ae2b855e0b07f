/**
 * Last-resort clean-up: whatever this process started (server children, PostgreSQL clusters) is
 * stopped when it exits, even when a test failed before its `afterAll` or the worker is torn down.
 * Each stopper must be synchronous: an `exit` listener cannot wait for promises.
 */
const stoppers = new Map<number, () => void>();
let next = 0;
let hooked = false;

function runAll(): void {
  for (const stop of [...stoppers.values()].reverse()) {
    try {
      stop();
    } catch {
      // Best effort: one failed stopper must not keep the others from running.
    }
  }
  stoppers.clear();
}

/** Registers `stop` to run at exit; the returned function unregisters it (after a normal stop). */
export function onExit(stop: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.once("exit", runAll);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        runAll();
        process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
      });
    }
  }
  const id = next++;
  stoppers.set(id, stop);
  return () => {
    stoppers.delete(id);
  };
}
