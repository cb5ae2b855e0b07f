import { seedScenarios } from "../testing/contracts/seedScenarios.ts";
import { memoryStorage } from "../testing/memoryStorage.ts";

seedScenarios("memory", () => memoryStorage());
