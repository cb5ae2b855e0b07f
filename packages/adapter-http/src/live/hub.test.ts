import { liveEventsContract } from "@voxanne/core/testing/contracts";
import { liveHub } from "./hub.ts";

liveEventsContract("liveHub", () => {
  const hub = liveHub();
  return { adapter: hub, subscribe: hub.subscribe };
});
