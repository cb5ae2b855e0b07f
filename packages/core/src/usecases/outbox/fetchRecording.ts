/**
 * The recording job: copies a call's recording into the RecordingStore, moving the call from
 * `processing` to `completed`, or to `failed` once the outbox gives up on it.
 */

import type { RecordingStatus } from "../../domain/call.ts";
import { VendorFailed, VoxanneError } from "../../domain/errors.ts";
import type { OutboxItem } from "../../domain/eventLog.ts";
import { serialize } from "../../domain/serialized.ts";
import type { RecordingStore } from "../../ports/recordingStore.ts";
import type { Deps } from "../context.ts";
import { withEffects } from "../shared/effects.ts";

export const OUTBOX_RECORDING_FETCH = "recording.fetch";

async function setRecording(
  deps: Deps,
  item: OutboxItem,
  callId: string,
  status: RecordingStatus,
  location: string | null,
) {
  await withEffects(deps, item.orgId, async (fx) => {
    const { tx } = fx;
    const call = await tx.calls.getById(callId);
    if (!call) return;
    const saved = await tx.calls.update({
      ...call,
      recordingStatus: status,
      recordingLocation: location,
      updatedAt: deps.clock.now(),
    });
    fx.publish({ type: "call.updated", orgId: item.orgId, call: serialize(saved) });
  });
}

export const fetchRecording =
  (store: RecordingStore) =>
  async (deps: Deps, item: OutboxItem): Promise<void> => {
    const { callId, sourceUrl } = item.payload as { callId: string; sourceUrl: string };
    try {
      const { location } = await store.save({ orgId: item.orgId, callId, sourceUrl });
      await setRecording(deps, item, callId, "completed", location);
    } catch (error) {
      const retryable = !(error instanceof VoxanneError) || (error instanceof VendorFailed && error.retryable);
      const lastAttempt = item.attempts + 1 >= deps.retry.maxAttempts;
      if (!retryable || lastAttempt) await setRecording(deps, item, callId, "failed", null);
      throw error;
    }
  };
