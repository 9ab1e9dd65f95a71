// End-to-end on recorded .NET programs (tests/programs/dotnet/WorkerException, AsyncLoop, TieredLoop, and
// Inventory published as a self-contained single-file app): `rewind dap`
// driven by DebugClient as VS Code drives it. Needs the built CLI, the .NET SDK and ptrace.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { asyncLoop, inventory, removeWorkDir, RewindClient, Stop, tieredLoop, workerException } from "./e2e/rewindHarness";
import type { DebugProtocol } from "@vscode/debugprotocol";

const testTimeout = 120_000;
const message = "order total 21 is over the limit";
after(removeWorkDir);

describe("rewind dap on a .NET program", { timeout: testTimeout * 10 }, () => {
  const app = workerException();

  /** Launches `trace` stopped at its start, runs to the first hit of `line` of `source`, and clears that breakpoint. */
  async function runToLine(trace: string, source: string, line: number) {
    const { client } = await RewindClient.launch({ trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line }] });
    });
    try {
      const hit = await client.continue();
      assert.equal(hit.reason, "breakpoint");
      assert.equal(hit.frame.line, line);
      await client.dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
      return { client, hit };
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  it("shows managed frames with their C# lines among the native ones", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: app.trace });
    try {
      const threads = (await client.dc.threadsRequest()).body.threads;
      // The worker by its Thread.Name, which the kernel's 15-byte name would cut short.
      assert.equal(threads.find((t) => t.id === stop.threadId)?.name, `order worker thread #1 (${stop.threadId})`);
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

  it("opens stopped on the unhandled exception, with $exception and its fields before the arguments", { timeout: testTimeout }, async () => {
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
      const locals = await client.scope(validate.id, "Locals");
      // The exception first, then the frame's arguments, as VS Code's C# debugger lists them.
      assert.deepEqual([...locals.keys()], ["$exception", "total", "kind"]);
      assert.equal(locals.get("total")?.value, "21");
      assert.match(locals.get("kind")?.value ?? "", /"order"$/);
      const exception = locals.get("$exception");
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

  // W^X on (the runtime's default) maps the JIT's code read-execute and shared; off, writable.
  for (const [kind, trace] of [["W^X on", () => app.trace], ["W^X off", () => app.writableCodeTrace]] as const) {
    it(`hits a C# line breakpoint set before the JIT compiled its method, forward and backward (${kind})`, { timeout: testTimeout }, async () => {
      const statuses: DebugProtocol.Breakpoint[] = [];
      const { client } = await RewindClient.launch({ trace: trace(), stopAt: "start" }, async (c) => {
        const set = await c.dc.setBreakpointsRequest({ source: { path: app.source }, breakpoints: [{ line: app.line("add") }] });
        statuses.push(...set.body.breakpoints);
      });
      try {
        // At the start no runtime runs: the line binds to the code the JIT gives Add later in the recording.
        assert.equal(statuses[0].verified, true, statuses[0].message);
        assert.equal(statuses[0].line, app.line("add"));
        const amount = async (stop: Stop) => (await client.scope(stop.frame.id, "Locals")).get("amount")?.value;

        // Forward from before the JIT: the first call (the one that compiled Add) stops.
        const first = await client.continue();
        assert.equal(first.reason, "breakpoint");
        assert.equal(first.frame.name, "WorkerException.Order.Add(Int32)");
        assert.deepEqual([first.frame.source?.path, first.frame.line], [app.source, app.line("add")]);
        assert.equal(first.frames[1].line, app.line("first add"));
        assert.equal(await amount(first), "3");
        const second = await client.continue();
        assert.equal(second.reason, "breakpoint");
        assert.equal(second.frames[1].name, "WorkerException.Orders.Process(Int32)");
        assert.equal(second.frames[1].line, app.line("second add"));
        assert.equal(await amount(second), "18");

        // Backward from the end: the second call, then the first.
        const end = await client.continue();
        assert.equal(end.reason, "exception");
        const back = await client.reverseContinue();
        assert.equal(back.reason, "breakpoint");
        assert.equal(back.position.event, second.position.event);
        assert.equal(back.frames[1].line, app.line("second add"));
        // Back to the call that compiled Add: with W^X off, a window replayed from a snapshot
        // where the code heap is only reserved (PROT_NONE) must still arm a debug register there.
        const backFirst = await client.reverseContinue();
        assert.equal(backFirst.reason, "breakpoint");
        assert.equal(backFirst.position.event, first.position.event);
        assert.equal(backFirst.frames[1].line, app.line("first add"));
        assert.equal(await amount(backFirst), "3");
      } finally {
        await client.close();
      }
    });
  }

  it("hits a C# line breakpoint in every code version of a method the tiered JIT recompiles, forward and backward", { timeout: testTimeout }, async () => {
    const looping = tieredLoop();
    const statuses: DebugProtocol.Breakpoint[] = [];
    const { client } = await RewindClient.launch({ trace: looping.trace, stopAt: "start" }, async (c) => {
      const set = await c.dc.setBreakpointsRequest({ source: { path: looping.source }, breakpoints: [{ line: looping.line("step") }] });
      statuses.push(...set.body.breakpoints);
    });
    try {
      assert.equal(statuses[0].verified, true, statuses[0].message);
      const iteration = async (stop: Stop) => {
        assert.equal(stop.reason, "breakpoint");
        assert.equal(stop.frame.name, "TieredLoop.Program.Step(Int32)");
        assert.deepEqual([stop.frame.source?.path, stop.frame.line], [looping.source, looping.line("step")]);
        return Number((await client.scope(stop.frame.id, "Locals")).get("iteration")?.value);
      };

      // Forward from before the JIT: the first call runs the method's tier-0 code.
      const first = await client.continue();
      assert.equal(await iteration(first), 0);
      const tier0 = first.frame.instructionPointerReference;
      assert.ok(tier0);

      // The first call that ran code the JIT made after 30 calls: which one depends on when the
      // JIT's background worker ran in the recording. Each probe goes to where a call prints and
      // back to the hit before: that call's, or the one before (where an event of another thread
      // comes between the hit and the print).
      const markers = (await client.dc.customRequest("rewind/timeline", { maxMarkers: 1000 })).body as { markers: { kind: string; event: number; label: string }[] };
      const hitBefore = async (call: number) => {
        const printed = markers.markers.find((m) => m.kind === "output" && m.label.trim() === `call ${call}`);
        assert.ok(printed, `no output 'call ${call}' among ${markers.markers.length} markers`);
        await client.custom("rewind/gotoEvent", { event: printed.event });
        const back = await client.reverseContinue();
        assert.ok([call - 1, call].includes(await iteration(back)), `back from where call ${call} prints`);
        return back;
      };
      let [tier0Call, laterCall] = [1, 199];
      assert.notEqual((await hitBefore(laterCall)).frame.instructionPointerReference, tier0, "the JIT never replaced the tier-0 code");
      while (laterCall - tier0Call > 1) {
        const middle = Math.floor((tier0Call + laterCall) / 2);
        if ((await hitBefore(middle)).frame.instructionPointerReference === tier0) tier0Call = middle;
        else laterCall = middle;
      }

      // Backward across the versions, call by call, to the last call in tier 0.
      let back = await hitBefore(laterCall);
      let call = await iteration(back);
      const seen = [back.frame.instructionPointerReference];
      while (back.frame.instructionPointerReference !== tier0) {
        back = await client.reverseContinue();
        assert.equal(await iteration(back), --call);
        seen.push(back.frame.instructionPointerReference);
      }
      // Forward across them: from the last tier-0 call into the new code.
      const firstReplaced = await client.continue();
      assert.equal(await iteration(firstReplaced), call + 1);
      assert.equal(firstReplaced.frame.instructionPointerReference, seen.at(-2));
      assert.notEqual(firstReplaced.frame.instructionPointerReference, tier0);

      // The last call, in the tier-1 code, backward from the end.
      const end = await client.custom("rewind/gotoEvent", { percent: 100 });
      assert.notEqual(end.reason, "breakpoint");
      const last = await client.reverseContinue();
      assert.equal(await iteration(last), 199);
      assert.notEqual(last.frame.instructionPointerReference, tier0);
    } finally {
      await client.close();
    }
  });

  it("hits a C# line breakpoint in a loop's code the JIT replaced while the loop ran (on-stack replacement)", { timeout: testTimeout }, async () => {
    const looping = tieredLoop();
    const { client } = await RewindClient.launch({ trace: looping.trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: looping.source }, breakpoints: [{ line: looping.line("spin") }] });
    });
    try {
      const turn = async (stop: Stop) => {
        assert.equal(stop.reason, "breakpoint");
        assert.equal(stop.frame.name, "TieredLoop.Program.Spin()");
        assert.deepEqual([stop.frame.source?.path, stop.frame.line], [looping.source, looping.line("spin")]);
        return Number((await client.scope(stop.frame.id, "Locals")).get("i")?.value);
      };
      // Forward from the start: the first turn, in the tier-0 code of Spin's only call.
      const first = await client.continue();
      assert.equal(await turn(first), 0);
      // Backward from the end: the last turns, in the code the JIT made for the loop while it ran.
      await client.custom("rewind/gotoEvent", { percent: 100 });
      const last = await client.reverseContinue();
      assert.equal(await turn(last), 999);
      assert.notEqual(last.frame.instructionPointerReference, first.frame.instructionPointerReference);
      const before = await client.reverseContinue();
      assert.equal(await turn(before), 998);
      assert.equal(before.frame.instructionPointerReference, last.frame.instructionPointerReference);
    } finally {
      await client.close();
    }
  });

  it("shows a managed frame's this, arguments and locals, objects expanding to their fields", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: app.writableCodeTrace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: app.source }, breakpoints: [{ line: app.line("describe") }] });
    });
    try {
      // The first call compiles Describe; its output comes before the second call, which hits.
      const timeline = await client.dc.customRequest("rewind/timeline", { maxMarkers: 500 });
      const markers = (timeline.body as { markers: { kind: string; event: number; label: string }[] }).markers;
      const printed = markers.find((m) => m.kind === "output" && m.label.startsWith("first look: "));
      assert.ok(printed, JSON.stringify(markers.filter((m) => m.kind === "output")));
      await client.custom("rewind/gotoEvent", { event: printed.event });
      const hit = await client.continue();
      assert.equal(hit.reason, "breakpoint");
      assert.equal(hit.frame.name, "WorkerException.Order.Describe(Int32, System.String, WorkerException.Order)");

      // One Locals scope, as VS Code's C# debugger shows it: this, the arguments, then the locals.
      const locals = await client.scope(hit.frame.id, "Locals");
      assert.deepEqual([...locals.keys()], ["this", "copies", "note", "other", "units", "share", "split", "size", "mark", "label"]);
      const value = (name: string) => locals.get(name)?.value;
      assert.equal(value("copies"), "2");
      assert.equal(locals.get("copies")?.type, "System.Int32");
      assert.match(value("note") ?? "", /^0x[0-9a-f]+ "second look"$/);
      assert.equal(value("units"), "20");
      assert.equal(value("share"), "5");
      assert.equal(value("mark"), "'s'");
      assert.deepEqual([value("size"), locals.get("size")?.type], ["Large", "WorkerException.Size"]);
      // A struct on the stack expands to its fields.
      const split = locals.get("split");
      assert.ok(split && split.variablesReference > 0, JSON.stringify(split));
      assert.equal(split.type, "WorkerException.Split");
      const splitFields = await client.children(split.variablesReference);
      assert.deepEqual([splitFields.get("<Copies>k__BackingField")?.value, splitFields.get("<Each>k__BackingField")?.value], ["2", "5"]);
      assert.match(value("label") ?? "", /"second look: order x2"$/);
      const fields = async (name: string) => {
        const v = locals.get(name);
        assert.ok(v && v.variablesReference > 0, JSON.stringify(v));
        assert.equal(v.type, "WorkerException.Order");
        return client.children(v.variablesReference);
      };
      const self = await fields("this");
      assert.match(self.get("<Kind>k__BackingField")?.value ?? "", /"order"$/);
      assert.equal(self.get("<Total>k__BackingField")?.value, "0");
      const other = await fields("other");
      assert.match(other.get("<Kind>k__BackingField")?.value ?? "", /"audit"$/);
      assert.equal(await client.evaluate("units", hit.frame.id), "20");

      // The caller's frame: its argument and its locals, read where its call left them.
      const process = hit.frames[1];
      assert.equal(process.name, "WorkerException.Orders.Process(Int32)");
      const callers = await client.scope(process.id, "Locals");
      assert.deepEqual([...callers.keys()], ["count", "order", "audit"]);
      assert.equal(callers.get("count")?.value, "3");
      assert.equal(callers.get("order")?.value, locals.get("this")?.value);
      assert.equal(callers.get("audit")?.value, locals.get("other")?.value);
    } finally {
      await client.close();
    }
  });

  for (const [kind, trace] of [["W^X on", () => app.trace], ["W^X off", () => app.writableCodeTrace]] as const) {
    it(`steps over, into, out and back by C# lines in managed frames (${kind})`, { timeout: testTimeout }, async () => {
      const { client } = await RewindClient.launch({ trace: trace(), stopAt: "start" }, async (c) => {
        await c.dc.setBreakpointsRequest({ source: { path: app.source }, breakpoints: [{ line: app.line("add") }] });
      });
      try {
        const timeline = await client.dc.customRequest("rewind/timeline", { maxMarkers: 500 });
        const printed = (timeline.body as { markers: { kind: string; event: number; label: string }[] }).markers.find((m) => m.label === "after the first add: 3");
        assert.ok(printed);
        await client.custom("rewind/gotoEvent", { event: printed.event });
        const hit = await client.continue();
        assert.equal(hit.frame.name, "WorkerException.Order.Add(Int32)");

        const at = (stop: Stop, line: string, method: string) => {
          const where = `${stop.frame.name} ${stop.frame.source?.path}:${stop.frame.line} (${stop.reason}: ${stop.description ?? ""})`;
          assert.equal(stop.reason, "step", where);
          assert.equal(stop.frame.name, method, where);
          assert.deepEqual([stop.frame.source?.path, stop.frame.line], [app.source, app.line(line)], where);
        };
        const process = "WorkerException.Orders.Process(Int32)";
        const breakpoints = (lines: number[]) => client.dc.setBreakpointsRequest({ source: { path: app.source }, breakpoints: lines.map((line) => ({ line })) });
        // Back out of Add: to the call in Process, mid-line.
        at(await client.custom("rewind/reverseStepOut", { threadId: client.threadId }), "second add", process);
        // A reverse step passes a breakpoint's hits on the way (as gdb's reverse-next does): none here.
        await breakpoints([]);
        const add = "WorkerException.Order.Add(Int32)";
        // Over the call: it was its line's last instruction, so the return is the next line's start.
        at(await client.next(), "process", process);
        at(await client.custom("rewind/reverseNext", { threadId: client.threadId }), "second add", process);
        // Into the call, through its stub, to Add's first line; and out again.
        const into = await client.stepIn();
        at(into, "add", add);
        at(await client.stepOut(), "process", process);
        // Back into the call from the line after it: Add's last line that ran (its only one with
        // code: the JIT maps its closing brace's ret to the epilog), Add's frame on the call's line;
        // then out of its first line to the call.
        const backInto = await client.stepBack();
        at(backInto, "add", add);
        assert.deepEqual([backInto.frames[1].name, backInto.frames[1].line], [process, app.line("second add")]);
        at(await client.stepBack(), "second add", process);
        await breakpoints([app.line("add")]);
        const again = await client.continue();
        assert.equal(again.reason, "breakpoint");
        assert.equal(again.position.event, hit.position.event);
        await breakpoints([]);
        at(await client.stepOut(), "process", process);
      } finally {
        await client.close();
      }
    });
  }

  for (const [kind, trace] of [["W^X on", () => app.trace], ["W^X off", () => app.writableCodeTrace]] as const) {
    it(`steps into a method on the call that makes the JIT compile it (${kind})`, { timeout: testTimeout }, async () => {
      const { client } = await runToLine(trace(), app.source, app.line("first add"));
      try {
        // Add has no code yet: the call goes through the runtime's prestub, which compiles it.
        const into = await client.stepIn();
        const where = `${into.frame.name} ${into.frame.source?.path}:${into.frame.line} (${into.reason}: ${into.description ?? ""})`;
        assert.equal(into.reason, "step", where);
        assert.equal(into.frame.name, "WorkerException.Order.Add(Int32)", where);
        assert.deepEqual([into.frame.source?.path, into.frame.line], [app.source, app.line("add")], where);
        assert.equal(into.frames[1].line, app.line("first add"));
        assert.equal((await client.scope(into.frame.id, "Locals")).get("amount")?.value, "3");
        const out = await client.stepOut();
        assert.equal(out.frame.name, "WorkerException.Orders.Process(Int32)");
      } finally {
        await client.close();
      }
    });
  }

  it("steps back into the last line that ran of a line's last callee with source, past a callee without", { timeout: testTimeout }, async () => {
    const { client, hit: call } = await runToLine(app.trace, app.source, app.line("first add"));
    try {
      // The line before called Describe, then Console.WriteLine (the framework's, no PDB): a step
      // back into enters Describe at its return, in the second call, on its caller's line.
      const back = await client.stepBack();
      const where = `${back.frame.name} ${back.frame.source?.path}:${back.frame.line} (${back.reason}: ${back.description ?? ""})`;
      assert.equal(back.reason, "step", where);
      assert.equal(back.frame.name, "WorkerException.Order.Describe(Int32, System.String, WorkerException.Order)", where);
      assert.deepEqual([back.frame.source?.path, back.frame.line], [app.source, app.line("describe")], where);
      assert.deepEqual([back.frames[1].name, back.frames[1].line], ["WorkerException.Orders.Process(Int32)", app.line("second describe")]);
      assert.equal((await client.scope(back.frame.id, "Locals")).get("copies")?.value, "2");
      // Out, on to the line after, and back over instead: the line before, in the caller.
      const out = await client.stepOut();
      assert.deepEqual([out.frame.name, out.frame.line], ["WorkerException.Orders.Process(Int32)", app.line("second describe")]);
      const next = await client.next();
      assert.deepEqual([next.frame.line, next.position], [app.line("first add"), call.position]);
      const reverseNext = await client.custom("rewind/reverseNext", { threadId: client.threadId });
      assert.deepEqual([reverseNext.frame.name, reverseNext.frame.line], ["WorkerException.Orders.Process(Int32)", app.line("second describe")]);
    } finally {
      await client.close();
    }
  });

  it("steps back into a callee whose loop the JIT replaced while it ran, at the line the replacing code ran last", { timeout: testTimeout }, async () => {
    const looping = tieredLoop();
    const { client } = await runToLine(looping.trace, looping.source, looping.line("return"));
    try {
      // Spin's call returned by the ret of the code on-stack replacement made of its loop, not of
      // the code its entry cell names: the step enters that code's last line, after the loop.
      const back = await client.stepBack();
      const where = `${back.frame.name} ${back.frame.source?.path}:${back.frame.line} (${back.reason}: ${back.description ?? ""})`;
      assert.equal(back.reason, "step", where);
      assert.equal(back.frame.name, "TieredLoop.Program.Spin()", where);
      assert.deepEqual([back.frame.source?.path, back.frame.line], [looping.source, looping.line("sum")], where);
      const main = back.frames.find((f) => f.name === "TieredLoop.Program.Main()");
      assert.equal(main?.line, looping.line("spun"), back.frames.map((f) => f.name).join("\n"));
    } finally {
      await client.close();
    }
  });

  it("debugs an async program: its exception, its frames' lines, a loop's field back through its iterations by breakpoint and by line, back to an await", { timeout: testTimeout }, async () => {
    const looping = asyncLoop();
    const { client, stop } = await RewindClient.launch({ trace: looping.trace });
    try {
      const audit = "savings balance 150 is over the limit";
      assert.equal(stop.reason, "exception");
      assert.equal(stop.description, `System.InvalidOperationException: ${audit}`);
      const info = await client.dc.exceptionInfoRequest({ threadId: stop.threadId });
      assert.equal(info.body.exceptionId, "System.InvalidOperationException");
      assert.equal(info.body.description, audit);
      // Async Main's task faulted: the main thread rethrows what each await rethrew, and the
      // exception's stack keeps every async method's state machine at the line of its throw or await.
      const stack = info.body.details?.stackTrace ?? "";
      const at = (method: string, line: string) => `at AsyncLoop.${method}.MoveNext() in ${looping.source}:line ${looping.line(line)}\n`;
      const awaits = [at("Audit+<Verify>d__1", "throw"), at("Audit+<Check>d__0", "verify"), at("Program+<Main>d__0", "audit")].map((frame) => stack.indexOf(frame));
      assert.ok(awaits.every((index, i) => index >= 0 && (i === 0 || index > awaits[i - 1])), stack);
      assert.ok(stop.frames.some((f) => f.name === "AsyncLoop.Program.<Main>()"), stop.frames.map((f) => f.name).join("\n"));

      // Back from the end to the loop's last raise, on whichever pool thread ran it: its
      // state machine (`this`, a struct in the box that holds it) has the account, before the raise.
      const set = await client.dc.setBreakpointsRequest({ source: { path: looping.source }, breakpoints: [{ line: looping.line("deposit") }] });
      assert.equal(set.body.breakpoints[0].verified, true, set.body.breakpoints[0].message);
      const make = "AsyncLoop.Deposits+<Make>d__0.MoveNext()";
      const raise = async (step: string, balance: string) => {
        const hit = await client.reverseContinue();
        assert.equal(hit.reason, "breakpoint");
        assert.equal(hit.frame.name, make);
        assert.deepEqual([hit.frame.source?.path, hit.frame.line], [looping.source, looping.line("deposit")]);
        const locals = await client.scope(hit.frame.id, "Locals");
        const self = locals.get("this");
        assert.ok(self && self.variablesReference > 0, JSON.stringify(self));
        assert.equal(self.type, "AsyncLoop.Deposits+<Make>d__0");
        const machine = await client.children(self.variablesReference);
        assert.equal(machine.get("<step>5__2")?.value, step);
        // The method's parameters and locals, hoisted into the machine's fields, show by their own names.
        assert.equal(locals.get("step")?.value, step);
        assert.equal(locals.get("count")?.value, "5");
        assert.ok(!locals.has("<>1__state"), [...locals.keys()].join(", "));
        const account = locals.get("account");
        assert.ok(account && account.variablesReference > 0, JSON.stringify(account));
        assert.equal((await client.children(account.variablesReference)).get("Balance")?.value, balance);
        return hit;
      };
      const last = await raise("5", "100");
      const before = await raise("4", "60");
      assert.ok(before.position.event < last.position.event);

      // By C# lines, the breakpoints cleared: back from the raise to the loop's condition, in the
      // same MoveNext call (the step's own breakpoints then take the debug registers).
      await client.dc.setBreakpointsRequest({ source: { path: looping.source }, breakpoints: [] });
      const back = await client.stepBack();
      const where = `${back.frame.name} ${back.frame.source?.path}:${back.frame.line} (${back.reason}: ${back.description ?? ""})`;
      assert.equal(back.reason, "step", where);
      assert.equal(back.frame.name, make, where);
      assert.deepEqual([back.frame.source?.path, back.frame.line], [looping.source, looping.line("loop")], where);
      assert.equal(back.position.event, before.position.event);

      // The loop's turn began where the yield's continuation entered MoveNext, in the middle of the
      // await's line: a step back (into, then over) stays in the method and lands there, before
      // the turn's step++, on the thread that ran the turn.
      const resumed = async (stop: Stop) => {
        const where = `${stop.frame.name} ${stop.frame.source?.path}:${stop.frame.line} (${stop.reason}: ${stop.description ?? ""})`;
        assert.equal(stop.reason, "step", where);
        assert.equal(stop.frame.name, make, where);
        assert.deepEqual([stop.frame.source?.path, stop.frame.line], [looping.source, looping.line("yield")], where);
        assert.equal(stop.threadId, back.threadId);
        assert.equal((await client.scope(stop.frame.id, "Locals")).get("step")?.value, "3");
        return stop;
      };
      const into = await resumed(await client.stepBack());
      const increment = await client.next();
      assert.deepEqual([increment.frame.name, increment.frame.line], [make, looping.line("loop")]);
      const over = await resumed(await client.custom("rewind/reverseNext", { threadId: client.threadId }));
      assert.deepEqual(over.position, into.position);
    } finally {
      await client.close();
    }
  });

  it("shows a single-file app's frames with their lines, its type's statics, and an array's elements a page at a time", { timeout: testTimeout }, async () => {
    const single = inventory();
    const { client, stop } = await RewindClient.launch({ trace: single.trace });
    try {
      assert.equal(stop.reason, "exception");
      const check = stop.frames.find((f) => f.name === "Inventory.Stock.Check(Int32[])");
      assert.ok(check, stop.frames.map((f) => f.name).join("\n"));
      assert.deepEqual([check.source?.path, check.line], [single.source, single.line("throw")]);

      const locals = await client.scope(check.id, "Locals");
      const counts = locals.get("counts");
      assert.ok(counts && counts.variablesReference > 0, JSON.stringify(counts));
      assert.equal(counts.indexedVariables, 150);
      // The page VS Code asks for when its [100..149] group is opened: those elements alone.
      const page = await client.dc.variablesRequest({ variablesReference: counts.variablesReference, filter: "indexed", start: 100, count: 50 });
      const elements = page.body.variables;
      assert.equal(elements.length, 50);
      assert.deepEqual([elements[0].name, elements[0].value], ["[100]", "300"]);
      assert.deepEqual([elements[49].name, elements[49].value], ["[149]", "447"]);

      const statics = await client.scope(check.id, "Statics of Inventory.Stock");
      assert.equal(statics.get("Limit")?.value, "100");
      assert.match(statics.get("Owner")?.value ?? "", /"warehouse"$/);
      const names = statics.get("Names");
      assert.equal(names?.indexedVariables, 3);
      const named = await client.children(names.variablesReference);
      assert.deepEqual([...named.keys()], ["[0]", "[1]", "[2]"]);
      assert.match(named.get("[0]")?.value ?? "", /"bolt"$/);
      assert.equal(named.get("[2]")?.value, "null");
      // An array of structs: each element expands to its fields, in place.
      const bins = statics.get("Bins");
      assert.equal(bins?.indexedVariables, 2);
      const bin = (await client.children(bins.variablesReference)).get("[1]");
      assert.ok(bin && bin.variablesReference > 0, JSON.stringify(bin));
      const fields = await client.children(bin.variablesReference);
      assert.deepEqual([fields.get("Shelf")?.value, fields.get("Slots")?.value], ["2", "7"]);
    } finally {
      await client.close();
    }
  });
});
