// What the adapter end-to-end tests share: finding the built `rewind`, compiling and recording
// the debuggees of tests/programs/dap, and a DebugClient wrapper that waits for a motion's
// `stopped` and `rewind/position` events the way VS Code sees them.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";

/** How long one request or motion may take before a test fails (a replay of these tiny traces takes well under a second). */
export const requestTimeout = Number(process.env.REWIND_E2E_TIMEOUT ?? 20_000);

export function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Rewind.sln"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no Rewind.sln above ${__dirname}`);
  }
}

export function rewindPath(): string {
  const exe = path.join(repoRoot(), "src", "Rewind.Cli", "bin", "Release", "net10.0", "rewind");
  if (!fs.existsSync(exe)) {
    throw new Error(`${exe} is missing: build it first with \`dotnet build src/Rewind.Cli -c Release\``);
  }
  return exe;
}

export interface Debuggee {
  source: string;
  program: string;
  trace: string;
  /** The line of the comment `LINE <marker>` in the source. */
  line(marker: string): number;
}

let workDir: string | undefined;
const debuggees = new Map<string, Debuggee>();

/**
 * Compiles tests/programs/<dir>/<name>.c with `gcc -g -O0` and records one run of it (once per
 * test process). Its lines are marked `/* LINE marker *\/` (tests/programs/dap) or `// L:marker`
 * (tests/programs/gdb, whose programs the DAP tests share).
 */
export function debuggee(name: string, dir = "dap"): Debuggee {
  const known = debuggees.get(name);
  if (known) return known;
  workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "rewind-dap-e2e-"));
  const source = path.join(repoRoot(), "tests", "programs", dir, `${name}.c`);
  const program = path.join(workDir, name);
  const trace = `${program}.rwd`;
  execFileSync("gcc", ["-g", "-O0", "-o", program, source], { timeout: requestTimeout });
  try {
    execFileSync(rewindPath(), ["record", "-o", trace, "--", program], { cwd: workDir, stdio: "ignore", timeout: requestTimeout });
  } catch (e) {
    // `rewind record` exits with the program's status: the crashing debuggee's is not 0.
    if (!fs.existsSync(trace)) throw e;
  }
  const lines = fs.readFileSync(source, "utf8").split("\n");
  const made: Debuggee = {
    source,
    program,
    trace,
    line(marker) {
      const index = lines.findIndex((l) => l.includes(`/* LINE ${marker} */`) || l.trimEnd().endsWith(`// L:${marker}`));
      if (index < 0) throw new Error(`no LINE ${marker} in ${source}`);
      return index + 1;
    },
  };
  debuggees.set(name, made);
  return made;
}

export interface DotnetApp {
  /** Program.cs as the PDB names it (the copy that was built). */
  source: string;
  trace: string;
  /** The line of Program.cs marked `// line: <marker>`. */
  line(marker: string): number;
}

export interface DotnetDebuggee extends DotnetApp {
  /** The same program recorded with DOTNET_EnableWriteXorExecute=0: the JIT's code in writable memory, not in a W^X runtime's read-execute view. */
  writableCodeTrace: string;
}

let dotnetDebuggee: DotnetDebuggee | undefined;
const dotnetApps = new Map<string, DotnetApp>();

/** Copies tests/programs/dotnet/NAME into the work directory and runs the .NET SDK there with `args` (build or publish into app/). */
function buildDotnet(name: string, args: string[]): string {
  workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "rewind-dap-e2e-"));
  const build = path.join(workDir, name);
  fs.cpSync(path.join(repoRoot(), "tests", "programs", "dotnet", name), build, { recursive: true });
  execFileSync("dotnet", [...args, `${name}.csproj`, "-c", "Release", "-o", "app", "-nologo", "-v", "quiet"], { cwd: build, stdio: "ignore", timeout: 180_000 });
  return build;
}

/** Records `program` in `build`, a .NET app that ends in an unhandled exception. */
function recordDotnet(build: string, trace: string, program: string[], env: Record<string, string> = {}): string {
  try {
    execFileSync(rewindPath(), ["record", "-o", trace, "--", ...program], { cwd: build, stdio: "ignore", timeout: 60_000, env: { ...process.env, ...env } });
  } catch (e) {
    // The runtime aborts on the unhandled exception: `rewind record` exits with the program's 134.
    if (!fs.existsSync(trace)) throw e;
  }
  return trace;
}

function markedLines(source: string): (marker: string) => number {
  const lines = fs.readFileSync(source, "utf8").split("\n");
  return (marker) => {
    const index = lines.findIndex((l) => l.trimEnd().endsWith(`// line: ${marker}`));
    if (index < 0) throw new Error(`no '// line: ${marker}' in ${source}`);
    return index + 1;
  };
}

/**
 * Builds tests/programs/dotnet/WorkerException with the .NET SDK and records one run of
 * `dotnet app/WorkerException.dll` (once per test process). The app's copy of the runtime is the
 * installed one; the trace keeps its data-access library and the app's PDB (docs/dotnet.md).
 */
export function workerException(): DotnetDebuggee {
  if (dotnetDebuggee) return dotnetDebuggee;
  const build = buildDotnet("WorkerException", ["build"]);
  const program = ["dotnet", "app/WorkerException.dll"];
  const source = path.join(build, "Program.cs");
  dotnetDebuggee = {
    source,
    trace: recordDotnet(build, path.join(workDir!, "worker.rwd"), program),
    writableCodeTrace: recordDotnet(build, path.join(workDir!, "worker-writable-code.rwd"), program, { DOTNET_EnableWriteXorExecute: "0" }),
    line: markedLines(source),
  };
  return dotnetDebuggee;
}

/**
 * Builds tests/programs/dotnet/NAME with the SDK's `args` and records one run of `program` in its
 * build directory (once per test process).
 */
function recordedApp(name: string, args: string[], program: string[], env: Record<string, string> = {}): DotnetApp {
  const known = dotnetApps.get(name);
  if (known) return known;
  const build = buildDotnet(name, args);
  const source = path.join(build, "Program.cs");
  const app = { source, trace: recordDotnet(build, path.join(workDir!, `${name}.rwd`), program, env), line: markedLines(source) };
  dotnetApps.set(name, app);
  return app;
}

/**
 * Publishes tests/programs/dotnet/Inventory as a self-contained single-file app (the runtime
 * inside the executable) and records one run of it.
 */
export function inventory(): DotnetApp {
  return recordedApp("Inventory", ["publish", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true"], ["app/Inventory"]);
}

/** Builds tests/programs/dotnet/AsyncLoop (async Main, a Task.Run worker's loop) and records one run of `dotnet app/AsyncLoop.dll`. */
export function asyncLoop(): DotnetApp {
  return recordedApp("AsyncLoop", ["build"], ["dotnet", "app/AsyncLoop.dll"]);
}

/**
 * Builds tests/programs/dotnet/TieredLoop (a method called 200 times, a loop of 1,000 turns) and
 * records one run of `dotnet app/TieredLoop.dll`, its method counted from its first call
 * (DOTNET_TC_CallCountingDelayMs=0: no start-up delay before the runtime counts calls), so the
 * tiered JIT replaces its tier-0 code after 30 calls, and its loop's method replaced on its
 * patchpoint's first trigger, after 100 turns (by default 10 triggers of 1,000 turns).
 */
export function tieredLoop(): DotnetApp {
  return recordedApp("TieredLoop", ["build"], ["dotnet", "app/TieredLoop.dll"], {
    DOTNET_TC_CallCountingDelayMs: "0",
    DOTNET_TC_OnStackReplacement_InitialCounter: "100",
    DOTNET_OSR_HitLimit: "1",
  });
}

export function removeWorkDir(): void {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
  debuggees.clear();
  dotnetDebuggee = undefined;
  dotnetApps.clear();
}

export interface Stop {
  reason: string;
  description?: string;
  threadId: number;
  position: { event: number; totalEvents: number; percent: number };
  /** The top frame. */
  frame: DebugProtocol.StackFrame;
  frames: DebugProtocol.StackFrame[];
}

/** One `rewind dap` conversation. */
export class RewindClient {
  // REWIND_E2E_LOG=1 shows the adapter's stderr (its log) while debugging a test.
  readonly dc = new DebugClient(rewindPath(), "dap", "rewind", {}, process.env.REWIND_E2E_LOG === "1");
  /** Text of every `output` event, in order. */
  readonly output: string[] = [];
  readonly invalidated: DebugProtocol.InvalidatedEvent[] = [];
  threadId = 0;

  private constructor() {
    this.dc.defaultTimeout = requestTimeout;
    this.dc.on("output", (e: DebugProtocol.OutputEvent) => this.output.push(e.body.output));
    this.dc.on("invalidated", (e: DebugProtocol.InvalidatedEvent) => this.invalidated.push(e));
  }

  /** Starts the adapter, launches with these arguments, sets breakpoints in `configure` and returns the first stop. */
  static async launch(args: Record<string, unknown>, configure?: (c: RewindClient) => Promise<void>): Promise<{ client: RewindClient; stop: Stop }> {
    const client = new RewindClient();
    await client.dc.start();
    await client.dc.initializeRequest({ adapterID: "rewind", clientID: "e2e", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path", supportsInvalidatedEvent: true });
    const initialized = client.dc.waitForEvent("initialized");
    await client.dc.launchRequest(args);
    await initialized;
    await configure?.(client);
    const stop = await client.motion(() => client.dc.configurationDoneRequest());
    return { client, stop };
  }

  /** Sends a run-control request and returns the stop it leads to, with its position and stack. */
  async motion(send: () => Promise<unknown>): Promise<Stop> {
    const started = Date.now();
    // Both waits start before the request: the events may arrive in the same read as its response.
    const [s, p] = (await Promise.all([this.dc.waitForEvent("stopped"), this.dc.waitForEvent("rewind/position"), send()])) as [
      DebugProtocol.StoppedEvent,
      DebugProtocol.Event,
      unknown,
    ];
    this.threadId = s.body.threadId ?? this.threadId;
    if (process.env.REWIND_E2E_LOG === "1") console.error(`motion to ${s.body.reason} at event ${(p.body as Stop["position"]).event}: ${Date.now() - started} ms`);
    const trace = await this.dc.stackTraceRequest({ threadId: this.threadId });
    return {
      reason: s.body.reason,
      description: s.body.description,
      threadId: this.threadId,
      position: p.body as Stop["position"],
      frame: trace.body.stackFrames[0],
      frames: trace.body.stackFrames,
    };
  }

  continue(): Promise<Stop> {
    return this.motion(() => this.dc.continueRequest({ threadId: this.threadId }));
  }

  reverseContinue(): Promise<Stop> {
    return this.motion(() => this.dc.reverseContinueRequest({ threadId: this.threadId }));
  }

  next(granularity?: DebugProtocol.SteppingGranularity): Promise<Stop> {
    return this.motion(() => this.dc.nextRequest({ threadId: this.threadId, granularity }));
  }

  stepIn(): Promise<Stop> {
    return this.motion(() => this.dc.stepInRequest({ threadId: this.threadId }));
  }

  stepOut(): Promise<Stop> {
    return this.motion(() => this.dc.stepOutRequest({ threadId: this.threadId }));
  }

  stepBack(granularity?: DebugProtocol.SteppingGranularity): Promise<Stop> {
    return this.motion(() => this.dc.stepBackRequest({ threadId: this.threadId, granularity }));
  }

  custom(command: string, args: Record<string, unknown>): Promise<Stop> {
    return this.motion(() => this.dc.customRequest(command, args));
  }

  /** The variables of a scope ("Locals", "Arguments", "Globals") of a frame, by name. */
  async scope(frameId: number, name: string): Promise<Map<string, DebugProtocol.Variable>> {
    const scopes = await this.dc.scopesRequest({ frameId });
    const scope = scopes.body.scopes.find((s) => s.name === name);
    if (!scope) throw new Error(`no scope ${name} in ${scopes.body.scopes.map((s) => s.name).join(", ")}`);
    return this.children(scope.variablesReference);
  }

  async children(variablesReference: number): Promise<Map<string, DebugProtocol.Variable>> {
    const variables = await this.dc.variablesRequest({ variablesReference });
    return new Map(variables.body.variables.map((v) => [v.name, v]));
  }

  /** A watch expression's value in a frame. */
  async evaluate(expression: string, frameId: number): Promise<string> {
    const r = await this.dc.evaluateRequest({ expression, frameId, context: "watch" });
    return r.body.result;
  }

  /** Disconnects (DebugClient.stop sends `disconnect`, then kills the adapter). */
  close(): Promise<void> {
    return this.dc.stop();
  }
}
