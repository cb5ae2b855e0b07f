import { afterAll, beforeAll } from "vitest";
import type { Stack, StackOptions } from "./stack.ts";
import { startStack } from "./stack.ts";

/** One stack for the test file: started before its tests, closed after them (even when they fail). */
export function stackPerFile(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (!stack) throw new Error("the stack did not start");
    return stack;
  };
}
