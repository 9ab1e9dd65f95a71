// DAP round-trip latency of stepBack and reverseContinue on a trace of a few million events:
// from sending the request to receiving its `stopped` event, through `rewind dap` driven by
// DebugClient as VS Code drives it. Usage (from the repository root, after
// `dotnet build src/Rewind.Cli -c Release` and `npm install`):
//   node bench/dap/latency.mjs [TRACE]
// Without TRACE it compiles bench/dap/syscalls.c and records 3,000,000 iterations (minutes).
// HITS (default 2): how many reverse-continues, each 100,000 iterations back.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const root = path.resolve(import.meta.dirname, "../..");
const { DebugClient } = createRequire(path.join(root, "vscode-extension/package.json"))("@vscode/debugadapter-testsupport");
const rewind = path.join(root, "src/Rewind.Cli/bin/Release/net10.0/rewind");
const source = path.join(root, "bench/dap/syscalls.c");
const line = fs.readFileSync(source, "utf8").split("\n").findIndex((l) => l.includes("LINE checkpoint_body")) + 1;
const rounds = 8;
// checkpoint() runs every 100,000 iterations: reverse-continue that many times stays inside the trace.
const hits = Number(process.env.HITS ?? 2);

let trace = process.argv[2];
if (!trace) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rewind-dap-bench-"));
  const program = path.join(dir, "syscalls");
  trace = `${program}.rwd`;
  execFileSync("gcc", ["-g", "-O0", "-o", program, source]);
  execFileSync(rewind, ["record", "-o", trace, "--", program, "3000000"], { stdio: "inherit" });
}

const dc = new DebugClient(rewind, "dap", "rewind");
dc.defaultTimeout = 600_000;
await dc.start();
await dc.initializeRequest({ adapterID: "rewind", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
const initialized = dc.waitForEvent("initialized");
await dc.launchRequest({ trace, stopAt: "end" });
await initialized;
await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line }] });
let started = performance.now();
let [first] = await Promise.all([dc.waitForEvent("stopped"), dc.configurationDoneRequest()]);
console.log(`launch to the end of the trace: ${(performance.now() - started).toFixed(0)} ms`);
const threadId = first.body.threadId;

/** Sends a request and times it up to its `stopped` event (and its position). */
async function timed(send) {
  const t = performance.now();
  const [stopped, position] = await Promise.all([dc.waitForEvent("stopped"), dc.waitForEvent("rewind/position"), send()]);
  return { ms: performance.now() - t, reason: stopped.body.reason, event: position.body.event };
}

function report(name, samples) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  console.log(`${name}: median ${median.toFixed(1)} ms, min ${ms[0].toFixed(1)}, max ${ms.at(-1).toFixed(1)} (${ms.length} rounds; events ${samples.map((s) => s.event).join(", ")})`);
}

const reverse = [];
for (let i = 0; i < hits; i++) reverse.push(await timed(() => dc.reverseContinueRequest({ threadId })));
report("reverseContinue (to the previous hit, 100,000 iterations back)", reverse);
const back = [];
for (let i = 0; i < rounds; i++) back.push(await timed(() => dc.stepBackRequest({ threadId })));
report("stepBack (one line)", back);
const backInstruction = [];
for (let i = 0; i < rounds; i++) backInstruction.push(await timed(() => dc.stepBackRequest({ threadId, granularity: "instruction" })));
report("stepBack (one instruction)", backInstruction);
const forward = [];
for (let i = 0; i < hits - 1; i++) forward.push(await timed(() => dc.continueRequest({ threadId })));
report("continue (to the next hit)", forward);
await dc.stop();
