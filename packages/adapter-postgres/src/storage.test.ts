import { seedScenarios, storageContract } from "@voxanne/core/testing/contracts";
import { postgresStorage } from "./storage.ts";
import { pgliteDatabase, serverDatabase, serverProblem } from "./testDatabases.ts";

const pglite = await pgliteDatabase();
storageContract("postgres: PGlite", () => postgresStorage(pglite));
seedScenarios("postgres: PGlite", () => postgresStorage(pglite));

if (!serverProblem) {
  const server = await serverDatabase();
  storageContract("postgres: server", () => postgresStorage(server));
  seedScenarios("postgres: server", () => postgresStorage(server));
}
