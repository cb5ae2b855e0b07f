import { memoryStorage } from "../testing/memoryStorage.ts";
import { seedScenarios } from "../testing/contracts/seedScenarios.ts";

seedScenarios("memory", () => memoryStorage());
