import { runTour } from "./tour.ts";

const { pulse, calls } = await runTour({ print: (banner) => console.log(`${banner}\n`) });
console.log("\nCalls");
console.table(calls);
console.log("Dashboard pulse");
console.table(pulse);
