import { runDemo } from "./demo.ts";

const dollars = (cents: number) => `$${(cents / 100).toLocaleString("en-US")}`;
const { pulse, contacts, activity, alerts } = await runDemo();

console.log("\nDashboard pulse");
console.table({
  "Total calls": pulse.totalCalls,
  "Inbound calls": pulse.inboundCalls,
  Bookings: pulse.bookings,
  "Success rate": `${pulse.successRate}%`,
  "Pipeline value": dollars(pulse.pipelineValueCents),
  "Avg duration": `${pulse.avgDurationSeconds} s`,
  "Hot leads": pulse.hotLeads,
});

console.log("Contacts");
console.table(
  contacts.map((c) => ({
    phone: c.phone,
    name: c.name ?? "",
    status: c.leadStatus,
    score: c.leadScore,
    temperature: c.leadTemperature,
  })),
);

console.log("Recent activity");
console.table(activity.map((a) => ({ at: a.occurredAt.toISOString().slice(11, 19), type: a.type, what: a.summary })));

console.log("Hot-lead alerts sent");
for (const alert of alerts) console.log(`  to ${alert.to}: ${alert.body}`);
