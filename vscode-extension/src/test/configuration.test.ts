import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { processPicks, resolveAdapterCommand, resolveLaunchConfiguration } from "../configuration";

const base = { type: "rewind", request: "launch", name: "x" };

function error(config: Record<string, unknown>): string {
  const result = resolveLaunchConfiguration(config);
  assert.ok("error" in result, `expected an error for ${JSON.stringify(config)}`);
  return result.error;
}

describe("resolveLaunchConfiguration", () => {
  it("accepts a trace", () => {
    assert.deepEqual(resolveLaunchConfiguration({ ...base, trace: "app.rwd", stopAt: "end" }), { config: { ...base, trace: "app.rwd", stopAt: "end" } });
  });
  it("accepts a program and defaults its cwd to the workspace folder", () => {
    assert.deepEqual(resolveLaunchConfiguration({ ...base, program: "./app", args: ["-v"] }, { workspaceFolder: "/ws" }), {
      config: { ...base, program: "./app", args: ["-v"], cwd: "/ws" },
    });
  });
  it("opens the active trace on F5 without a launch.json", () => {
    assert.deepEqual(resolveLaunchConfiguration({}, { activeFile: "/t/crash.rwd" }), {
      config: { type: "rewind", request: "launch", name: "Replay trace", trace: "/t/crash.rwd" },
    });
    assert.match(error({}), /Open a trace/);
  });
  it("explains each mistake", () => {
    assert.match(error({ ...base }), /Give "trace".*or "program"/);
    assert.match(error({ ...base, trace: "a.rwd", program: "./a" }), /not both/);
    assert.match(error({ ...base, request: "attach", trace: "a.rwd" }), /only "request": "launch"/);
    assert.match(error({ ...base, trace: 5 }), /"trace" must be a path/);
    assert.match(error({ ...base, program: "./a", args: "-v" }), /array of strings/);
    assert.match(error({ ...base, program: "./a", args: [1] }), /array of strings/);
    assert.match(error({ ...base, trace: "a.rwd", args: [] }), /applies to "program" only/);
    assert.match(error({ ...base, trace: "a.rwd", stopAt: "middle" }), /"stopAt" is "start" or "end"/);
    assert.match(error({ ...base, program: "./a", env: { A: 1 } }), /"env" must map/);
    assert.match(error({ ...base, program: "./a", cwd: 3 }), /"cwd" must be a path/);
  });
  it("takes a pid of the trace's processes, or \"pick\"", () => {
    assert.deepEqual(resolveLaunchConfiguration({ ...base, trace: "make.rwd", pid: 4242 }), { config: { ...base, trace: "make.rwd", pid: 4242 } });
    assert.deepEqual(resolveLaunchConfiguration({ ...base, trace: "make.rwd", pid: "pick" }), { config: { ...base, trace: "make.rwd", pid: "pick" } });
    assert.match(error({ ...base, program: "./a", pid: 4242 }), /give it with "trace"/);
    assert.match(error({ ...base, trace: "a.rwd", pid: -1 }), /"pid" is a process id/);
    assert.match(error({ ...base, trace: "a.rwd", pid: "4242" }), /"pid" is a process id/);
  });
});

describe("processPicks", () => {
  it("names each process by its program and pid, with its parent, end and command line", () => {
    const ps = JSON.stringify([
      { pid: 100, commandLine: ["make", "-j2"], exit: { code: 0 }, events: 443, firstEvent: 0 },
      { pid: 105, parent: 100, commandLine: ["/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-quiet", "main.c"], exit: { signal: 11, name: "SIGSEGV" }, events: 963, firstEvent: 40 },
      { pid: 106, parent: 100, commandLine: ["sleep", "9"], events: 3, firstEvent: 50 },
    ]);
    assert.deepEqual(processPicks(ps), [
      { label: "make (100)", description: "first process, exit 0, 443 events", detail: "make -j2", pid: 100 },
      { label: "cc1 (105)", description: "child of 100, killed by SIGSEGV, 963 events", detail: "/usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet main.c", pid: 105 },
      { label: "sleep (106)", description: "child of 100, did not end, 3 events", detail: "sleep 9", pid: 106 },
    ]);
  });
});

describe("resolveAdapterCommand", () => {
  it("runs `rewind dap` from PATH by default", () => {
    assert.deepEqual(resolveAdapterCommand(undefined), { command: "rewind", args: ["dap"] });
    assert.deepEqual(resolveAdapterCommand("  "), { command: "rewind", args: ["dap"] });
    assert.deepEqual(resolveAdapterCommand(42), { command: "rewind", args: ["dap"] });
  });
  it("expands the workspace folder and the home directory", () => {
    assert.deepEqual(resolveAdapterCommand("${workspaceFolder}/bin/rewind", "/ws"), { command: "/ws/bin/rewind", args: ["dap"] });
    assert.deepEqual(resolveAdapterCommand("~/tools/rewind", undefined, "/home/me"), { command: "/home/me/tools/rewind", args: ["dap"] });
  });
});
