#!/usr/bin/env -S npx tsx
/** `pnpm voxanne …`: the operator CLI. */
import { runCli } from "./server/cli.ts";

process.exitCode = await runCli(process.argv);
