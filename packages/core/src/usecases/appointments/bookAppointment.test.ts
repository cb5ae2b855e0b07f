import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { orgState } from "../../testing/orgState.ts";
import { type TestVoxanne, testVoxanne } from "../../testing/testVoxanne.ts";
import { type BookAppointmentInput, bookAppointment } from "./bookAppointment.ts";

const CALLER = "+15555550123";
const SLOT = "2026-01-27T14:00:00-05:00";

async function setup() {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Bright Aesthetics", timezone: "America/New_York" });
  const book = (over: Partial<BookAppointmentInput> = {}) =>
    bookAppointment(t.voxanne.deps, org.id, {
      toolCallId: "tool-1",
      vendorCallId: "vapi-1",
      direction: "inbound",
      customerNumber: CALLER,
      customerName: "Maria Lopez",
      clinicNumber: "+15555550100",
      startsAt: SLOT,
      serviceName: "botox",
      at: t.clock.now(),
      ...over,
    });
  return { t, org, book };
}

/** The org's state with its appointments (which `orgState` does not read). */
async function state(t: TestVoxanne, orgId: string) {
  const before = await orgState(t.storage, orgId);
  const appointments = await t.storage.transaction(orgId, async (tx) =>
    (await Promise.all(before.calls.map((c) => tx.appointments.listByCall(c.id)))).flat(),
  );
  return { ...before, appointments };
}

const callOf = async (t: TestVoxanne, orgId: string, vendorCallId: string) =>
  t.storage.transaction(orgId, (tx) => tx.calls.findByVendorCallId(vendorCallId));

describe("bookAppointment", () => {
  it("books the slot for the caller, creating the call and contact as the projection would", async () => {
    const { t, org, book } = await setup();
    const { appointment, service, alreadyBooked } = await book();

    expect(alreadyBooked).toBe(false);
    expect(service?.name).toBe("Botox");
    const call = await callOf(t, org.id, "vapi-1");
    expect(call).toMatchObject({ status: "in_progress", direction: "inbound", fromNumber: CALLER });
    const contact = await t.voxanne.contacts.get(org.id, call?.contactId ?? "");
    expect(contact).toMatchObject({ phone: CALLER, name: "Maria Lopez", leadStatus: "new" });
    expect(appointment).toMatchObject({
      orgId: org.id,
      callId: call?.id,
      contactId: contact.id,
      serviceId: service?.id,
      startsAt: new Date("2026-01-27T19:00:00.000Z"),
      status: "booked",
      toolCallId: "tool-1",
    });

    await t.voxanne.settle();
    const heard = t.live.published.filter((e) => e.orgId === org.id).map((e) => e.type);
    expect(heard).toEqual(expect.arrayContaining(["call.started", "appointment.booked"]));
    // The `booked` activity is the projection's, once the call has ended.
    expect((await t.voxanne.metrics.recentActivity(org.id)).map((a) => a.type)).not.toContain("booked");
  });

  it("is idempotent on the tool call id: a retry returns the same appointment and writes nothing", async () => {
    const { t, org, book } = await setup();
    const first = await book();
    await t.voxanne.settle();
    const before = await state(t, org.id);

    t.clock.advance({ seconds: 5 });
    const retry = await book({ at: t.clock.now() });
    const changedRetry = await book({ startsAt: "2026-01-28T10:00:00-05:00", serviceName: "facelift" });

    for (const again of [retry, changedRetry]) {
      expect(again.alreadyBooked).toBe(true);
      expect(again.appointment).toEqual(first.appointment);
      expect(again.service).toEqual(first.service);
    }
    expect(await state(t, org.id)).toEqual(before);
  });

  it("refuses a slot another tool call booked, with Conflict, and writes nothing", async () => {
    const { t, org, book } = await setup();
    await book();
    await t.voxanne.settle();
    const before = await state(t, org.id);

    // The same instant, written in UTC, by another caller on another call.
    const taken = book({
      toolCallId: "tool-2",
      vendorCallId: "vapi-2",
      customerNumber: "+15555550124",
      startsAt: "2026-01-27T19:00:00Z",
    });
    await expect(taken).rejects.toMatchObject({ kind: "Conflict", code: "APPOINTMENT_SLOT_TAKEN" });
    await expect(taken).rejects.toThrow("That time is already booked; choose another time");
    expect(await state(t, org.id)).toEqual(before);
  });

  it("refuses a slot that is not after the tool call, and writes nothing", async () => {
    const { t, org, book } = await setup();
    const before = await state(t, org.id);
    const now = t.clock.now();
    for (const startsAt of [new Date(now.getTime() - 60_000), now]) {
      await expect(book({ startsAt })).rejects.toMatchObject({
        kind: "ValidationFailed",
        code: "APPOINTMENT_IN_PAST",
        issues: [{ path: "startsAt", message: "must be in the future" }],
      });
    }
    expect(await state(t, org.id)).toEqual(before);
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const { t, org, book } = await setup();
    const before = await state(t, org.id);
    const bad: [Partial<BookAppointmentInput>, string][] = [
      [{ startsAt: "next Tuesday at 2" }, "startsAt"],
      [{ startsAt: "2026-01-27T14:00:00" }, "startsAt"], // no offset: ambiguous
      [{ startsAt: "2026-02-30T14:00:00Z" }, "startsAt"], // not on the calendar
      [{ startsAt: "2026-01-27T25:00:00Z" }, "startsAt"],
      [{ startsAt: new Date("not a date") }, "startsAt"],
      [{ toolCallId: "" }, "toolCallId"],
      [{ vendorCallId: undefined as unknown as string }, "vendorCallId"],
      [{ direction: "sideways" as "inbound" }, "direction"],
      [{ serviceName: "x".repeat(121) }, "serviceName"],
      [{ at: "yesterday" as unknown as Date }, "at"],
    ];
    for (const [input, path] of bad) {
      const refused = book(input);
      await expect(refused, path).rejects.toMatchObject({ kind: "ValidationFailed" });
      const issues = await refused.catch((e: { issues: { path: string }[] }) => e.issues.map((i) => i.path));
      expect(issues).toEqual([path]);
    }
    expect(await state(t, org.id)).toEqual(before);
  });

  it("needs a person: a caller without a usable number is refused and nothing is written", async () => {
    const { t, org, book } = await setup();
    const before = await state(t, org.id);
    for (const customerNumber of [null, "anonymous", "5550123"]) {
      await expect(book({ customerNumber })).rejects.toMatchObject({
        kind: "ValidationFailed",
        code: "BOOKING_NEEDS_CONTACT",
      });
    }
    expect(await state(t, org.id)).toEqual(before);
  });

  it("books for the contact the call already has", async () => {
    const { t, org, book } = await setup();
    const [started] = callEvents({
      vendorCallId: "vapi-1",
      customerNumber: CALLER,
      startedAt: new Date(t.clock.now().getTime() - 60_000),
      durationSeconds: 60,
      transcript: "",
    });
    await t.feed(org.id, started ? [started] : []);
    const call = await callOf(t, org.id, "vapi-1");

    // The number the tool heard does not change whose call it is.
    const { appointment } = await book({ customerNumber: null, customerName: null });
    expect(appointment).toMatchObject({ callId: call?.id, contactId: call?.contactId });
    expect((await state(t, org.id)).contacts).toHaveLength(1);
  });

  it("keeps organizations apart: the same call and tool call ids book separately in each", async () => {
    const { t, org, book } = await setup();
    const other = await t.voxanne.organizations.create({ name: "Other Clinic" });
    const mine = await book();
    const theirs = await bookAppointment(t.voxanne.deps, other.id, {
      toolCallId: "tool-1",
      vendorCallId: "vapi-1",
      direction: "inbound",
      customerNumber: CALLER,
      customerName: null,
      clinicNumber: null,
      startsAt: SLOT,
      at: t.clock.now(),
    });

    expect(theirs.alreadyBooked).toBe(false);
    expect(theirs.appointment.id).not.toBe(mine.appointment.id);
    expect(theirs.appointment).toMatchObject({ orgId: other.id, serviceId: null });
    expect((await state(t, org.id)).appointments).toEqual([mine.appointment]);
    expect((await state(t, other.id)).appointments).toEqual([theirs.appointment]);
  });

  it("resolves the service by name or keyword, and books an unknown one without a service", async () => {
    const { t, book } = await setup();
    const cases: [string | null | undefined, string | null][] = [
      ["FACELIFT", "Facelift"],
      ["  lip   filler ", "Fillers"],
      ["rhinoplasty consultation", "Rhinoplasty"],
      ["tattoo removal", null],
      ["other", null],
      [null, null],
      [undefined, null],
    ];
    let n = 0;
    for (const [serviceName, expected] of cases) {
      n++;
      const startsAt = new Date(t.clock.now().getTime() + n * 3_600_000);
      const { appointment, service } = await book({ toolCallId: `tool-${n}`, serviceName, startsAt });
      expect(service?.name ?? null, String(serviceName)).toBe(expected);
      expect(appointment.serviceId).toBe(service?.id ?? null);
    }
  });

  it("makes the call booked when its events are projected, without a booking tool in the report", async () => {
    const { t, org, book } = await setup();
    await book();
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "vapi-1",
        customerNumber: CALLER,
        startedAt: new Date(t.clock.now().getTime() - 60_000),
        durationSeconds: 120,
        transcript: "User: I'd like Botox. AI: You're booked for Tuesday.",
      }),
    );

    const { calls, contacts, activity } = await state(t, org.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ status: "completed", bookingConfirmed: true });
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.leadStatus).toBe("booked");
    expect(activity.filter((a) => a.type === "booked")).toHaveLength(1);
    expect(activity.map((a) => a.type)).not.toContain("lost");
  });

  it("books a call already projected as ended, and evaluates it again at once", async () => {
    const { t, org, book } = await setup();
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "vapi-1",
        customerNumber: CALLER,
        startedAt: new Date(t.clock.now().getTime() - 120_000),
        durationSeconds: 60,
        transcript: "User: I'd like Botox.",
      }),
    );
    expect((await callOf(t, org.id, "vapi-1"))?.bookingConfirmed).toBe(false);

    await book();
    const { calls, contacts, activity } = await state(t, org.id);
    expect(calls[0]).toMatchObject({ status: "completed", bookingConfirmed: true });
    expect(contacts[0]?.leadStatus).toBe("booked");
    expect(activity.filter((a) => a.type === "booked")).toHaveLength(1);
  });
});
