/**
 * Keeps call recordings: fetches a vendor's recording and stores a copy Voxanne controls.
 *
 * Guarantees: `save` is idempotent per (orgId, callId): saving again replaces the same copy and
 * returns the same location; it throws `VendorFailed` (`retryable` when trying later may work)
 * and never leaves a partial file at the returned location.
 */
export interface RecordingStore {
  save(request: { orgId: string; callId: string; sourceUrl: string }): Promise<{ location: string }>;
}
