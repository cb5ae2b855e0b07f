import type { TransactionOptions } from "../../ports/storage.ts";

/** For transactions that only read (dashboard figures): they need not wait for the org's writers. */
export const READ_ONLY: TransactionOptions = Object.freeze({ readOnly: true });
