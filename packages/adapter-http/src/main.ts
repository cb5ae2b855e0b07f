/** `pnpm start`: the server from the environment's configuration, drained on SIGTERM / SIGINT. */
import { runServer } from "./server/start.ts";

await runServer();
