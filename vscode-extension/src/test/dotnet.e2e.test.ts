// End-to-end on a recorded .NET program (tests/programs/dotnet/WorkerException): `rewind dap`
// driven by DebugClient as VS Code drives it. Needs the built CLI, the .NET SDK and ptrace.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { removeWorkDir, RewindClient, workerException } from "./e2e/rewindHarness";

const testTimeout = 120_000;
const message = "order total 21 is over the limit";
after(removeWorkDir);

describe("rewind dap on a .NET program", { timeout: testTimeout * 4 }, () => {
  const app = workerException();

  it("shows managed frames with their C# lines among the native ones", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: app.trace });
    try {
      const names = stop.frames.map((f) => f.name);
      const validate = names.indexOf("WorkerException.Orders.Validate(Int32, System.String)");
      assert.ok(validate > 0, names.join("\n"));
      // Inner native frames first (the runtime's abort), then the managed calls in stack order.
      assert.equal(stop.frames[0].source, undefined);
      assert.deepEqual(names.slice(validate, validate + 3), [
        "WorkerException.Orders.Validate(Int32, System.String)",
        "WorkerException.Orders.Process(Int32)",
        "WorkerException.Program+<>c.<Main>b__0_0()",
      ]);
      const [v, p, l] = stop.frames.slice(validate, validate + 3);
      assert.deepEqual([v.source?.path, v.line], [app.source, app.line("throw")]);
      assert.deepEqual([p.source?.path, p.line], [app.source, app.line("process")]);
      assert.deepEqual([l.source?.path, l.line], [app.source, app.line("start")]);
      assert.ok(names.slice(validate + 3).some((n) => n === "System.Threading.Thread.StartCallback()"), names.join("\n"));
    } finally {
      await client.close();
    }
  });

  it("opens stopped on the unhandled exception, with $exception and its fields", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: app.trace });
    try {
      assert.equal(stop.reason, "exception");
      assert.equal(stop.description, `System.InvalidOperationException: ${message}`);
      const info = await client.dc.exceptionInfoRequest({ threadId: stop.threadId });
      assert.equal(info.body.exceptionId, "System.InvalidOperationException");
      assert.equal(info.body.description, message);
      assert.equal(info.body.breakMode, "unhandled");
      assert.match(info.body.details?.stackTrace ?? "", new RegExp(`at WorkerException\\.Orders\\.Validate\\(Int32, System\\.String\\) in ${app.source}:line ${app.line("throw")}\n`));
      assert.equal(info.body.details?.innerException?.[0]?.fullTypeName, "System.ArgumentOutOfRangeException");

      const validate = stop.frames.find((f) => f.name.startsWith("WorkerException.Orders.Validate"));
      assert.ok(validate);
      const exception = (await client.scope(validate.id, "Locals")).get("$exception");
      assert.equal(exception?.value, `System.InvalidOperationException: ${message}`);
      const fields = await client.children(exception.variablesReference);
      assert.match(fields.get("_message")?.value ?? "", new RegExp(`"${message}"$`));
      const inner = fields.get("_innerException");
      assert.ok(inner && inner.variablesReference > 0, JSON.stringify(inner));
      assert.equal(inner.type, "System.Exception");
      const innerFields = await client.children(inner.variablesReference);
      assert.match(innerFields.get("_paramName")?.value ?? "", /"total"$/);
      assert.equal(await client.evaluate("$exception", validate.id), `System.InvalidOperationException: ${message}`);
    } finally {
      await client.close();
    }
  });
});
