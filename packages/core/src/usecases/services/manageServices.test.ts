import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "../../domain/service.ts";
import { orgState } from "../../testing/orgState.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

async function setup() {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Clinic" });
  const other = await t.voxanne.organizations.create({ name: "Other clinic" });
  return { t, org, other };
}

describe("services", () => {
  it("every new organization starts with the default price list", async () => {
    const { t, org } = await setup();
    const services = await t.voxanne.services.list(org.id);
    expect(
      services
        .map(({ name, priceCents, keywords }) => ({ name, priceCents, keywords }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([...DEFAULT_PRICE_LIST].sort((a, b) => a.name.localeCompare(b.name)));
    expect(services.find((s) => s.name === "Botox")?.priceCents).toBe(40_000);
  });

  it("creates, reads, updates and deletes, normalising keywords and recording each change", async () => {
    const { t, org } = await setup();
    const created = await t.voxanne.services.create(org.id, {
      name: " Tummy Tuck ",
      priceCents: 650_000,
      keywords: ["Tummy  Tuck", "abdominoplasty", "tummy tuck"],
    });
    expect(created).toMatchObject({
      name: "Tummy Tuck",
      priceCents: 650_000,
      keywords: ["tummy tuck", "abdominoplasty"],
    });
    expect(await t.voxanne.services.get(org.id, created.id)).toEqual(created);

    t.clock.advance({ minutes: 1 });
    const updated = await t.voxanne.services.update(org.id, created.id, { priceCents: 700_000 });
    expect(updated).toMatchObject({ priceCents: 700_000, keywords: created.keywords });
    expect(updated.updatedAt > created.updatedAt).toBe(true);

    t.clock.advance({ minutes: 1 });
    await t.voxanne.services.delete(org.id, created.id);
    await expect(t.voxanne.services.get(org.id, created.id)).rejects.toMatchObject({ kind: "NotFound" });
    const changes = (await t.voxanne.metrics.recentActivity(org.id)).filter((a) => a.type === "service_changed");
    expect(changes.map((a) => a.data.change)).toEqual(["deleted", "updated", "created"]);
  });

  it.each([
    ["a negative price", { name: "X", priceCents: -1, keywords: ["x"] }, "priceCents"],
    ["a price in dollars with cents", { name: "X", priceCents: 10.5, keywords: ["x"] }, "priceCents"],
    ["a price that is text", { name: "X", priceCents: "400", keywords: ["x"] }, "priceCents"],
    ["no keywords", { name: "X", priceCents: 100, keywords: [] }, "keywords"],
    ["an empty keyword", { name: "X", priceCents: 100, keywords: ["botox", "  "] }, "keywords.1"],
    ["a keyword of punctuation", { name: "X", priceCents: 100, keywords: ["!!!"] }, "keywords.0"],
    ["an empty name", { name: " ", priceCents: 100, keywords: ["x"] }, "name"],
    ["a huge name", { name: "x".repeat(500), priceCents: 100, keywords: ["x"] }, "name"],
  ])("refuses %s, naming the field, and changes nothing", async (_, input, path) => {
    const { t, org } = await setup();
    const before = await orgState(t.storage, org.id);
    const error = await t.voxanne.services.create(org.id, input as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "ValidationFailed", code: "VALIDATION_FAILED" });
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    expect(await orgState(t.storage, org.id)).toEqual(before);
  });

  it("refuses an empty or bad patch, and unknown or another org's ids, changing nothing", async () => {
    const { t, org, other } = await setup();
    const [theirs] = await t.voxanne.services.list(other.id);
    const [mine] = await t.voxanne.services.list(org.id);
    const before = await orgState(t.storage, org.id);
    const beforeOther = await orgState(t.storage, other.id);

    await expect(t.voxanne.services.update(org.id, mine!.id, {})).rejects.toMatchObject({ kind: "ValidationFailed" });
    await expect(t.voxanne.services.update(org.id, mine!.id, { priceCents: -5 })).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    for (const id of [theirs!.id, "no-such-service"]) {
      await expect(t.voxanne.services.get(org.id, id)).rejects.toMatchObject({
        kind: "NotFound",
        code: "SERVICE_NOT_FOUND",
      });
      await expect(t.voxanne.services.update(org.id, id, { priceCents: 1 })).rejects.toMatchObject({
        kind: "NotFound",
      });
      await expect(t.voxanne.services.delete(org.id, id)).rejects.toMatchObject({ kind: "NotFound" });
    }
    expect(await orgState(t.storage, org.id)).toEqual(before);
    expect(await orgState(t.storage, other.id)).toEqual(beforeOther);
  });

  it("an unknown organization is not found", async () => {
    const { t } = await setup();
    await expect(t.voxanne.services.list(crypto.randomUUID())).rejects.toMatchObject({ kind: "NotFound" });
  });
});
