import { seedScenarios, storageContract } from "@voxanne/core/testing/contracts";
import { postgresStorage } from "./storage.ts";
import { pgliteDatabase, serverDatabase, serverProblem } from "./testDatabases.ts";

// The scenarios replay every org's log, so they get a database of their own, free of the
// contract's test entries from providers that have no decoder here.
const [pgliteContract, pgliteScenarios] = [await pgliteDatabase(), await pgliteDatabase()];
storageContract("postgres: PGlite", () => postgresStorage(pgliteContract));
seedScenarios("postgres: PGlite", () => postgresStorage(pgliteScenarios));

if (!serverProblem) {
  const [serverContract, serverScenarios] = [await serverDatabase(), await serverDatabase()];
  storageContract("postgres: server", () => postgresStorage(serverContract));
  seedScenarios("postgres: server", () => postgresStorage(serverScenarios));
}
