/**
 * Voxanne embedded in an app: the core wired with in-memory adapters, three calls fed in as a
 * voice vendor would report them (a booking, a lost lead, a hot lead), and what the dashboard
 * would show.
 */
import { createVoxanne } from "@voxanne/core";
import {
  callEvents,
  fixedClock,
  memoryLiveEvents,
  memoryStorage,
  recordingSms,
  recordingTelephony,
} from "@voxanne/core/testing";

export async function runDemo() {
  const clock = fixedClock("2026-01-25T09:00:00.000Z");
  const sms = recordingSms();
  const live = memoryLiveEvents();
  const voxanne = createVoxanne({ storage: memoryStorage(), telephony: recordingTelephony(), sms, live, clock });

  const org = await voxanne.organizations.create({
    name: "Bright Aesthetics",
    timezone: "America/New_York",
    agent: { smsFrom: "+15555550100", hotLeadAlertNumbers: ["+15555550199"] },
  });
  const liveEvents: string[] = [];
  live.subscribe(org.id, (event) => void liveEvents.push(event.type));

  const calls = [
    {
      vendorCallId: "call-booking",
      customerNumber: "+15555551001",
      customerName: "Maria Lopez",
      durationSeconds: 91,
      transcript: "User: Hi, I'd like to book Botox for my forehead lines. AI: You're booked for Tuesday at 2.",
      booked: true,
    },
    {
      vendorCallId: "call-lost",
      customerNumber: "+15555551002",
      durationSeconds: 40,
      transcript: "User: How much is a nose job? AI: Rhinoplasty starts at $6,000. User: Okay, I'll think about it.",
    },
    {
      vendorCallId: "call-hot",
      customerNumber: "+15555551003",
      customerName: "Dana Kim",
      durationSeconds: 260,
      transcript:
        "User: I want a facelift as soon as possible, this is urgent for me. Can you book me in? AI: Of course. User: Wonderful, thank you so much!",
      booked: true,
    },
  ];
  for (const call of calls) {
    for (const { eventKey, payload } of callEvents({ ...call, startedAt: clock.now() })) {
      await voxanne.receive("voxanne", org.id, eventKey, payload);
    }
    clock.advance({ minutes: 7 });
  }
  await voxanne.settle();

  return {
    pulse: await voxanne.metrics.pulse(org.id),
    contacts: (await voxanne.contacts.list(org.id)).items,
    activity: await voxanne.metrics.recentActivity(org.id),
    alerts: sms.sent.map((s) => ({ to: s.to, body: s.body })),
    liveEvents,
  };
}
