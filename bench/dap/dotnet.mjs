// The cost of the first managed stack at a stop of a .NET trace (ClrMD's start) and of later
// ones, through `rewind dap` driven by DebugClient as VS Code drives it: at each stop VS Code asks
// for `threads` (the runtime's thread names: the first request that opens ClrMD over the replay,
// loading the trace's data-access library and building the runtime), then `stackTrace` (native
// unwinding with the managed frames among the native ones), here of every thread, the main one
// first. Each is timed from sending it to its response. Usage (from the repository root, after
// `dotnet build src/Rewind.Cli -c Release` and `npm install`):
//   node bench/dap/dotnet.mjs [TRACE]
// Without TRACE it builds bench/dotnet/Allocations with the .NET SDK and records one run.
// The first stop is at PERCENT (default 50) of the trace's events; STOPS (default 6) later stops
// follow, alternately a step back by one instruction and a move 5% of the events ahead.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const root = path.resolve(import.meta.dirname, "../..");
const { DebugClient } = createRequire(path.join(root, "vscode-extension/package.json"))("@vscode/debugadapter-testsupport");
const rewind = path.join(root, "src/Rewind.Cli/bin/Release/net10.0/rewind");
const firstPercent = Number(process.env.PERCENT ?? 50);
const stops = Number(process.env.STOPS ?? 6);

let trace = process.argv[2];
if (!trace) {
  // Built outside the repository, so that none of its build settings apply.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rewind-dap-dotnet-"));
  fs.cpSync(path.join(root, "bench/dotnet/Allocations"), dir, { recursive: true });
  execFileSync("dotnet", ["build", "Allocations.csproj", "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], { cwd: dir, stdio: "inherit" });
  trace = path.join(dir, "allocations.rwd");
  execFileSync(rewind, ["record", "-o", trace, "--", "dotnet", "app/Allocations.dll"], { cwd: dir, stdio: "inherit" });
}

const dc = new DebugClient(rewind, "dap", "rewind");
dc.defaultTimeout = 600_000;
await dc.start();
await dc.initializeRequest({ adapterID: "rewind", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
const initialized = dc.waitForEvent("initialized");
await dc.launchRequest({ trace, stopAt: "start" });
await initialized;
// A replay that fails, or a runtime that cannot be read, is said in an `output` event: the
// figures after it would time nothing.
dc.on("output", (e) => {
  if (!e.body.output.startsWith("rewind: ")) return;
  console.error(`rewind dap said: ${e.body.output.trim()}`);
  process.exit(1);
});
let started = performance.now();
await Promise.all([dc.waitForEvent("stopped"), dc.waitForEvent("rewind/position"), dc.configurationDoneRequest()]);
console.log(`launch, stopped at the start: ${(performance.now() - started).toFixed(0)} ms`);

/** Sends a motion and waits for its `stopped` event and its position; the stopped thread and event. */
async function motion(send) {
  const t = performance.now();
  const [stopped, position] = await Promise.all([dc.waitForEvent("stopped"), dc.waitForEvent("rewind/position"), send()]);
  return { threadId: stopped.body.threadId, event: position.body.event, ms: performance.now() - t };
}

/** Times a request from sending it to its response. */
async function timed(send) {
  const t = performance.now();
  const response = await send();
  return { ms: performance.now() - t, response };
}

/**
 * At a stop, VS Code's order: the threads, then stacks. The stopped thread is often one of the
 * runtime's own, in native code; the main thread runs the program's managed code, so its stack is
 * timed first, then each other thread's.
 */
async function atStop(stop) {
  const threads = await timed(() => dc.threadsRequest());
  const [main, ...rest] = threads.response.body.threads;
  const stack = await timed(() => dc.stackTraceRequest({ threadId: main.id }));
  const frames = stack.response.body.stackFrames;
  // A managed frame has no native module and a method's signature for a name.
  const managed = frames.filter((f) => !f.moduleId && /\(.*\)$/.test(f.name));
  if (process.env.FRAMES === "1") console.log(frames.map((f) => `  ${f.name} [${f.moduleId ?? ""}]`).join("\n"));
  let others = 0;
  for (const t of rest) others += (await timed(() => dc.stackTraceRequest({ threadId: t.id }))).ms;
  return { threads: threads.ms, stack: stack.ms, others, frames: frames.length, managed: managed.length, threadCount: rest.length + 1, event: stop.event };
}

function describe(name, s) {
  console.log(`${name}, event ${s.event}: threads ${s.threads.toFixed(0)} ms; stackTrace of the main thread ${s.stack.toFixed(0)} ms (${s.frames} frames, ${s.managed} managed); of the ${s.threadCount - 1} others ${s.others.toFixed(0)} ms together`);
}

const first = await motion(() => dc.customRequest("rewind/gotoEvent", { percent: firstPercent }));
console.log(`rewind/gotoEvent ${firstPercent}%: ${first.ms.toFixed(0)} ms`);
const cold = await atStop(first);
describe("first stop", cold);

const later = [];
let percent = firstPercent;
let threadId = first.threadId;
for (let i = 0; i < stops; i++) {
  const stop = i % 2 === 0
    ? await motion(() => dc.stepBackRequest({ threadId, granularity: "instruction" }))
    : await motion(() => dc.customRequest("rewind/gotoEvent", { percent: (percent = Math.min(100, percent + 5)) }));
  threadId = stop.threadId;
  const s = await atStop(stop);
  describe(`later stop ${i + 1} (${i % 2 === 0 ? "stepBack, one instruction" : `rewind/gotoEvent ${percent}%`})`, s);
  later.push(s);
}
console.log(`later stops: threads ${summary(later.map((s) => s.threads))}; stackTrace of the main thread ${summary(later.map((s) => s.stack))}; of the others ${summary(later.map((s) => s.others))}`);
await dc.stop();

function summary(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, min ${sorted[0].toFixed(0)}, max ${sorted.at(-1).toFixed(0)} (${sorted.length})`;
}
