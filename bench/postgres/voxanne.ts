/** The core wired to a bench database, with in-memory fakes for everything but storage. */

import { type Database, postgresStorage } from "@voxanne/adapter-postgres";
import { createVoxanne, type Storage, type Voxanne, type VoxanneOptions } from "@voxanne/core";
import { memoryLiveEvents, recordingSms, recordingTelephony } from "@voxanne/core/testing";

/** No background work: a bench decides when projection and delivery run (`process()`). */
export function benchVoxanne(
  database: Database,
  options: Partial<VoxanneOptions> & { wrap?: (storage: Storage) => Storage } = {},
): Voxanne {
  const { wrap = (s: Storage) => s, ...rest } = options;
  return createVoxanne({
    storage: wrap(postgresStorage(database)),
    telephony: recordingTelephony(),
    sms: recordingSms(),
    live: memoryLiveEvents(),
    autoProcess: false,
    ...rest,
  });
}

/** `count` organizations created through the core, which seeds each one's default price list. */
export async function createOrganizations(voxanne: Voxanne, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const org = await voxanne.organizations.create({ name: `Clinic ${String(i).padStart(3, "0")}` });
    ids.push(org.id);
  }
  return ids;
}
