import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveAdapterCommand, resolveLaunchConfiguration } from "../configuration";

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
