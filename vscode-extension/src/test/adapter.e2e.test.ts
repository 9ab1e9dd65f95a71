// End-to-end: `rewind dap` driven by @vscode/debugadapter-testsupport's DebugClient, as VS Code
// drives it, on recordings of tests/programs/dap. Needs the built CLI (src/Rewind.Cli, Release),
// gcc and ptrace; every request and motion has a timeout (requestTimeout).
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import { debuggee, removeWorkDir, rewindPath, RewindClient, Stop } from "./e2e/rewindHarness";
import type { DebugProtocol } from "@vscode/debugprotocol";

const testTimeout = 60_000;
after(removeWorkDir);

function assertAt(stop: Stop, reason: string, file: string, line: number, functionName?: string): void {
  const where = `${stop.frame.name} ${stop.frame.source?.path ?? "?"}:${stop.frame.line} (${stop.reason}: ${stop.description ?? ""})`;
  assert.equal(stop.reason, reason, where);
  assert.equal(path.basename(stop.frame.source?.path ?? ""), file, where);
  assert.equal(stop.frame.line, line, where);
  if (functionName) assert.match(stop.frame.name, new RegExp(`^${functionName}\\b`), where);
}

describe("rewind dap on inventory.c", { timeout: testTimeout * 4 }, () => {
  const inv = debuggee("inventory");

  it("hits a line breakpoint, steps over and back, reverse-continues to the previous hit", { timeout: testTimeout }, async () => {
    const { client, stop: entry } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      const set = await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("restock_stock") }] });
      assert.equal(set.body.breakpoints[0].verified, true);
    });
    try {
      assert.equal(entry.reason, "entry");
      assert.equal(entry.position.event, 0);
      const threads = await client.dc.threadsRequest();
      assert.equal(threads.body.threads.length, 1);

      const first = await client.continue();
      assertAt(first, "breakpoint", "inventory.c", inv.line("restock_stock"), "restock");
      assert.ok(first.position.event > 0 && first.position.totalEvents >= first.position.event);
      const locals = await client.scope(first.frame.id, "Locals");
      assert.equal(locals.get("extra")?.value, "2");
      const args = await client.scope(first.frame.id, "Arguments");
      assert.equal(args.get("amount")?.value, "1");
      assert.deepEqual(first.frames.slice(0, 2).map((f) => f.name.replace(/\(.*/, "")), ["restock", "main"]);
      assert.equal(first.frames[1].line, inv.line("main_call"));
      assert.equal(await client.evaluate("it->stock", first.frame.id), "5");

      const next = await client.next();
      assertAt(next, "step", "inventory.c", inv.line("restock_counter"));
      assert.equal(await client.evaluate("it->stock", next.frame.id), "7");

      const back = await client.stepBack();
      assertAt(back, "step", "inventory.c", inv.line("restock_stock"));
      assert.equal(await client.evaluate("it->stock", back.frame.id), "5");

      const second = await client.continue();
      assertAt(second, "breakpoint", "inventory.c", inv.line("restock_stock"));
      assert.equal((await client.scope(second.frame.id, "Locals")).get("extra")?.value, "4");

      const previous = await client.reverseContinue();
      assertAt(previous, "breakpoint", "inventory.c", inv.line("restock_stock"));
      assert.equal((await client.scope(previous.frame.id, "Locals")).get("extra")?.value, "2");
      assert.equal(previous.position.event, first.position.event);
    } finally {
      await client.close();
    }
  });

  it("steps in, out, over, and reverse-steps over and out with the custom requests", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("main_call") }] });
    });
    try {
      assertAt(await client.continue(), "breakpoint", "inventory.c", inv.line("main_call"), "main");
      assertAt(await client.stepIn(), "step", "inventory.c", inv.line("restock_first"), "restock");
      const inScale = await client.stepIn();
      assertAt(inScale, "step", "inventory.c", inv.line("scale_body"), "scale");
      assert.equal((await client.scope(inScale.frame.id, "Arguments")).get("value")?.value, "1");
      const out = await client.stepOut();
      assertAt(out, "step", "inventory.c", inv.line("restock_first"), "restock");
      assertAt(await client.next(), "step", "inventory.c", inv.line("restock_stock"), "restock");

      const reverseOut = await client.custom("rewind/reverseStepOut", { threadId: client.threadId });
      assertAt(reverseOut, "step", "inventory.c", inv.line("main_call"), "main");
      assert.equal((await client.scope(reverseOut.frame.id, "Locals")).get("sum")?.value, "0");

      // Forward over the whole call, then back over it again.
      assertAt(await client.next(), "step", "inventory.c", inv.line("main_history"), "main");
      const reverseNext = await client.custom("rewind/reverseNext", { threadId: client.threadId });
      assertAt(reverseNext, "step", "inventory.c", inv.line("main_call"), "main");
      assert.equal(await client.evaluate("items[0].stock", reverseNext.frame.id), "5");
    } finally {
      await client.close();
    }
  });

  it("stops at function, conditional and hit-count breakpoints", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      const f = await c.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "scale", condition: "value == 2" }] });
      assert.equal(f.body.breakpoints[0].verified, true);
      await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("total_add"), hitCondition: "3" }] });
    });
    try {
      const inScale = await client.continue();
      assertAt(inScale, "function breakpoint", "inventory.c", inv.line("scale_body"), "scale");
      assert.equal((await client.scope(inScale.frame.id, "Arguments")).get("value")?.value, "2");
      const third = await client.continue();
      assertAt(third, "breakpoint", "inventory.c", inv.line("total_add"), "total_stock");
      assert.equal((await client.scope(third.frame.id, "Locals")).get("i")?.value, "2");
      assert.equal(await client.evaluate("total", third.frame.id), "11");
    } finally {
      await client.close();
    }
  });

  it("finds the last write of a watched variable backward and the next one forward", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("main_return") }] });
    });
    try {
      const end = await client.continue();
      assertAt(end, "breakpoint", "inventory.c", inv.line("main_return"), "main");
      const globals = await client.dc.scopesRequest({ frameId: end.frame.id });
      const ref = globals.body.scopes.find((s) => s.name === "Globals")!.variablesReference;
      assert.equal((await client.children(ref)).get("counter")?.value, "226");
      const info = await client.dc.dataBreakpointInfoRequest({ name: "counter", variablesReference: ref });
      assert.ok(info.body.dataId, info.body.description);
      const set = await client.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId, accessType: "write" }] });
      assert.equal(set.body.breakpoints[0].verified, true);

      // A hardware watchpoint stops after the writing instruction: here the last of its line.
      const doubled = await client.reverseContinue();
      assertAt(doubled, "data breakpoint", "inventory.c", inv.line("main_double") + 1, "main");
      const tenMore = await client.reverseContinue();
      assertAt(tenMore, "data breakpoint", "inventory.c", inv.line("total_counter") + 1, "total_stock");
      assert.equal(await client.evaluate("counter", tenMore.frame.id), "113");
      const forward = await client.continue();
      assertAt(forward, "data breakpoint", "inventory.c", inv.line("main_double") + 1, "main");
      assert.equal(await client.evaluate("counter", forward.frame.id), "226");

      // By expression in a frame: a member of an array element.
      const byExpression = await client.dc.dataBreakpointInfoRequest({ name: "items[1].stock", frameId: forward.frame.id });
      assert.ok(byExpression.body.dataId, byExpression.body.description);
      await client.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: byExpression.body.dataId }] });
      const restocked = await client.reverseContinue();
      assertAt(restocked, "data breakpoint", "inventory.c", inv.line("restock_counter"), "restock");
      assert.equal(await client.evaluate("it->stock", restocked.frame.id), "4");
      assert.equal(await client.evaluate("it->name", restocked.frame.id).then((v) => v.includes("pear")), true);
    } finally {
      await client.close();
    }
  });

  it("prints a logpoint's past hits when it is added", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: inv.trace, stopAt: "end" });
    try {
      assert.equal(stop.reason, "entry");
      assert.ok(stop.position.event >= stop.position.totalEvents - 1, JSON.stringify(stop.position));
      const set = await client.dc.setBreakpointsRequest({
        source: { path: inv.source },
        breakpoints: [{ line: inv.line("restock_counter"), logMessage: "item {it->id} stock {it->stock} counter {counter}" }],
      });
      assert.equal(set.body.breakpoints[0].verified, true);
      const lines = client.output.join("").split("\n").filter((l) => l.includes("item "));
      assert.deepEqual(lines.map((l) => l.replace(/^\[event \d+\] /, "")), ["item 1 stock 7 counter 100", "item 2 stock 4 counter 101", "item 3 stock 13 counter 102"]);
    } finally {
      await client.close();
    }
  });

  it("evaluates watch expressions: members, indexing, dereference, casts, arithmetic, comparisons", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("total_add"), hitCondition: "2" }] });
    });
    try {
      const stop = await client.continue();
      assertAt(stop, "breakpoint", "inventory.c", inv.line("total_add"), "total_stock");
      const id = stop.frame.id;
      const cases: [string, string][] = [
        ["i", "1"],
        ["list[i].stock", "4"],
        ["list[2].id", "3"],
        ["(*list).stock", "7"],
        ["list->price * 2", "5"],
        ["(list + 1)->id", "2"],
        ["*(list + 2)", ""],
        ["items[0].price + items[2].price", "3.25"],
        ["(int)items[2].price", "0"],
        ["total + 100 / 3", "40"],
        ["list[1].stock >= 4 && i == 1", "1"],
        ["items[1].stock != 4", "0"],
        ["-counter % 7", "-5"],
        ["history[2] - history[0]", "17"],
        ["&items[1] == list + 1", "1"],
      ];
      for (const [expression, expected] of cases) {
        const value = await client.evaluate(expression, id).catch((e: Error) => `error: ${e.message}`);
        if (expected) assert.equal(value, expected, expression);
        else assert.match(value, /id = 3/, expression);
      }
      await assert.rejects(client.evaluate("nosuch + 1", id), /no symbol "nosuch"/);
      await assert.rejects(client.evaluate("items[", id));
      // The adapter lives on after errors.
      assert.equal(await client.evaluate("n", id), "3");
      // Expandable values: a struct and an array.
      const locals = await client.scope(id, "Globals");
      const items = locals.get("items")!;
      assert.ok(items.variablesReference > 0);
      const elements = await client.children(items.variablesReference);
      assert.equal(elements.size, 3);
      const pear = await client.children([...elements.values()][1].variablesReference);
      assert.equal(pear.get("stock")?.value, "4");
      assert.match(pear.get("name")?.value ?? "", /pear/);
    } finally {
      await client.close();
    }
  });
});

describe("rewind dap on crash.c and other launches", { timeout: testTimeout * 4 }, () => {
  const crash = debuggee("crash");
  const inv = debuggee("inventory");

  it("opens a crashed recording at the fault and steps back into the faulting function", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: crash.trace });
    try {
      assertAt(stop, "exception", "crash.c", crash.line("store_write"), "store");
      assert.deepEqual(stop.frames.map((f) => f.name.replace(/\(.*/, "")), ["store", "fill", "process", "main"]);
      assert.equal(stop.frames[1].line, crash.line("fill_call"));
      assert.equal(stop.frames[2].line, crash.line("process_call"));
      const info = await client.dc.exceptionInfoRequest({ threadId: client.threadId });
      assert.equal(info.body.exceptionId, "SIGSEGV");
      const args = await client.scope(stop.frame.id, "Arguments");
      assert.equal(args.get("r")?.value, "0x0");
      assert.equal(args.get("slot")?.value, "0");
      assert.equal((await client.scope(stop.frames[2].id, "Locals")).get("i")?.value, "2");
      assert.equal(await client.evaluate("checksum", stop.frame.id), "126");

      // The fault is mid-line: one step back is that line's start, the next the line before.
      assertAt(await client.stepBack(), "step", "crash.c", crash.line("store_write"), "store");
      const back = await client.stepBack();
      assertAt(back, "step", "crash.c", crash.line("store_sum"), "store");
      assert.equal(await client.evaluate("checksum", back.frame.id), "96");
      const out = await client.custom("rewind/reverseStepOut", { threadId: client.threadId });
      assertAt(out, "step", "crash.c", crash.line("fill_call"), "fill");
      assert.equal(await client.evaluate("seed * 10 + slot", out.frame.id), "30");
      // Forward again: the crash is where the run ends.
      const again = await client.continue();
      assertAt(again, "exception", "crash.c", crash.line("store_write"), "store");
    } finally {
      await client.close();
    }
  });

  it("records a program first when launched with {program, args}", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ program: crash.program, args: ["unused"] });
    try {
      assertAt(stop, "exception", "crash.c", crash.line("store_write"), "store");
      assert.match(client.output.join(""), /rewind: recording .*crash/);
    } finally {
      await client.close();
    }
  });

  it("steps by instruction, disassembles, reads memory and stops at an instruction breakpoint", { timeout: testTimeout }, async () => {
    const { client } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" }, async (c) => {
      await c.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("main_double") }] });
    });
    try {
      const at = await client.continue();
      assertAt(at, "breakpoint", "inventory.c", inv.line("main_double"), "main");
      const pc = BigInt(at.frame.instructionPointerReference!);
      const dis = await client.dc.disassembleRequest({ memoryReference: at.frame.instructionPointerReference!, instructionCount: 4 });
      assert.equal(BigInt(dis.body!.instructions[0].address), pc);
      assert.match(dis.body!.instructions[0].instruction, /mov/);
      const second = BigInt(dis.body!.instructions[1].address);

      const stepped = await client.next("instruction");
      assert.equal(BigInt(stepped.frame.instructionPointerReference!), second);
      const back = await client.stepBack("instruction");
      assert.equal(BigInt(back.frame.instructionPointerReference!), pc);

      const address = await client.dc.evaluateRequest({ expression: "&counter", frameId: back.frame.id, context: "watch" });
      const memory = await client.dc.customRequest("readMemory", { memoryReference: address.body.result, count: 4 });
      assert.equal(Buffer.from((memory.body as { data: string }).data, "base64").readInt32LE(0), 113);

      const third = dis.body!.instructions[2].address;
      await client.dc.customRequest("setInstructionBreakpoints", { breakpoints: [{ instructionReference: third }] });
      const hit = await client.continue();
      assert.equal(hit.reason, "instruction breakpoint");
      assert.equal(BigInt(hit.frame.instructionPointerReference!), BigInt(third));
    } finally {
      await client.close();
    }
  });

  it("jumps with gotoTargets/goto and rewind/gotoEvent, lists the timeline, steps out of main to the end", { timeout: testTimeout }, async () => {
    const { client, stop } = await RewindClient.launch({ trace: inv.trace, stopAt: "start" });
    try {
      const timeline = await client.dc.customRequest("rewind/timeline", { maxMarkers: 50 });
      const body = timeline.body as { totalEvents: number; currentEvent: number; markers: { kind: string; event: number; label: string }[] };
      assert.equal(body.totalEvents, stop.position.totalEvents);
      assert.equal(body.markers[0].kind, "start");
      assert.ok(body.markers.some((m) => m.kind === "output" && m.label.includes("sum=24")), JSON.stringify(body.markers));
      assert.ok(body.markers.some((m) => m.kind === "exit"), JSON.stringify(body.markers));

      const targets = await client.dc.gotoTargetsRequest({ source: { path: inv.source }, line: inv.line("restock_counter") });
      assert.equal(targets.body.targets.length, 3);
      const before = client.invalidated.length;
      const third = await client.motion(() => client.dc.gotoRequest({ threadId: client.threadId, targetId: targets.body.targets[2].id }));
      assertAt(third, "goto", "inventory.c", inv.line("restock_counter"), "restock");
      assert.equal(await client.evaluate("counter", third.frame.id), "102");
      assert.ok(client.invalidated.length > before, "an invalidated event after the jump");

      const output = body.markers.find((m) => m.kind === "output")!;
      const there = await client.custom("rewind/gotoEvent", { event: output.event });
      assert.equal(there.reason, "goto");
      assert.equal(there.position.event, output.event);

      const main = await client.motion(() => client.dc.setBreakpointsRequest({ source: { path: inv.source }, breakpoints: [{ line: inv.line("main_return") }] }).then(() => client.dc.continueRequest({ threadId: client.threadId })));
      assertAt(main, "breakpoint", "inventory.c", inv.line("main_return"), "main");
      const out = await client.stepOut();
      assert.equal(out.reason, "end of trace");
      assert.match(out.description ?? "", /exited with status 0/);
    } finally {
      await client.close();
    }
  });
});

describe("rewind dap on forked_crash.c (a process of the trace)", { timeout: testTimeout * 2 }, () => {
  const forked = debuggee("forked_crash", "gdb");

  it("debugs the crashing child given as \"pid\": its crash, its stack, and back in it", { timeout: testTimeout }, async () => {
    const ps = JSON.parse(execFileSync(rewindPath(), ["ps", "--json", forked.trace], { encoding: "utf8" })) as { pid: number; parent?: number }[];
    assert.equal(ps.length, 2);
    const child = ps[1];
    const { client, stop: start } = await RewindClient.launch({ trace: forked.trace, pid: child.pid, stopAt: "start" });
    try {
      const threads = await client.dc.threadsRequest();
      assert.deepEqual(threads.body.threads.map((t) => t.id), [child.pid]);
      assert.equal(start.reason, "entry");
      const crash = await client.continue();
      assertAt(crash, "exception", "forked_crash.c", forked.line("add_write"), "add");
      assert.deepEqual(crash.frames.slice(0, 3).map((f) => f.name.replace(/\(.*/, "")), ["add", "work", "main"]);
      assert.equal(crash.frames[2].line, forked.line("worker_work"));
      assert.equal(await client.evaluate("total", crash.frame.id), "30");
      // The fault is mid-line: one step back is that line's start, the next the line before.
      assertAt(await client.stepBack(), "step", "forked_crash.c", forked.line("add_write"), "add");
      const back = await client.stepBack();
      assertAt(back, "step", "forked_crash.c", forked.line("add_total"), "add");
      assert.equal(await client.evaluate("total", back.frame.id), "10");
    } finally {
      await client.close();
    }
  });
});

describe("rewind dap on workers.c (threads)", { timeout: testTimeout * 2 }, () => {
  const workers = debuggee("workers", "gdb");

  it("names each thread, stops in the worker that hit a breakpoint, shows every thread's stack, and steps another thread", { timeout: testTimeout }, async () => {
    const started: number[] = [];
    const { client } = await RewindClient.launch({ trace: workers.trace, stopAt: "start" }, async (c) => {
      c.dc.on("thread", (e: DebugProtocol.ThreadEvent) => {
        if (e.body.reason === "started") started.push(e.body.threadId);
      });
      await c.dc.setBreakpointsRequest({ source: { path: workers.source }, breakpoints: [{ line: workers.line("work-add") }] });
    });
    try {
      const main = (await client.dc.threadsRequest()).body.threads;
      assert.equal(main.length, 1);
      assert.match(main[0].name, /^workers \(\d+\)$/);

      const first = await client.continue();
      assertAt(first, "breakpoint", "workers.c", workers.line("work-add"), "work");
      assert.notEqual(first.threadId, main[0].id);
      const threads = (await client.dc.threadsRequest()).body.threads;
      const stopped = threads.find((t) => t.id === first.threadId);
      assert.match(stopped?.name ?? "", /^worker-[1-4] \(\d+\)$/, JSON.stringify(threads));
      assert.ok(started.includes(first.threadId), `a thread event announced ${first.threadId}: ${started.join(", ")}`);
      // The main thread's own stack, as the Call Stack view shows it beside the worker's.
      const mainStack = await client.dc.stackTraceRequest({ threadId: main[0].id });
      assert.ok(mainStack.body.stackFrames.some((f) => f.name.startsWith("main")), JSON.stringify(mainStack.body.stackFrames.map((f) => f.name)));

      const second = await client.continue();
      assertAt(second, "breakpoint", "workers.c", workers.line("work-add"), "work");
      assert.notEqual(second.threadId, first.threadId);

      const back = await client.reverseContinue();
      assertAt(back, "breakpoint", "workers.c", workers.line("work-add"), "work");
      assert.equal(back.threadId, first.threadId);
      assert.equal(back.position.event, first.position.event);

      // A step of the main thread while a worker is stopped: the others run until main does.
      const stepped = await client.motion(() => client.dc.nextRequest({ threadId: main[0].id, granularity: "instruction" }));
      assert.equal(stepped.threadId, main[0].id);
      // And back: at a worker's hit before it, a step back of main goes back to where main last ran.
      // (Main waits for worker 1 to end, so the step may have run past every later hit; worker 1's own is before it.)
      const third = await client.reverseContinue();
      assertAt(third, "breakpoint", "workers.c", workers.line("work-add"), "work");
      assert.ok(third.position.event <= stepped.position.event, `${third.position.event} after ${stepped.position.event}`);
      const mainBack = await client.motion(() => client.dc.stepBackRequest({ threadId: main[0].id, granularity: "instruction" }));
      assert.equal(mainBack.threadId, main[0].id);
      assert.ok(mainBack.position.event <= third.position.event, `${mainBack.position.event} after ${third.position.event}`);

      // The timeline view's thread rows: each worker's start and end, with its thread.
      const timeline = await client.dc.customRequest("rewind/timeline", { maxMarkers: 500 });
      const rows = (timeline.body as { markers: { kind: string; label: string; threadId?: number }[] }).markers.filter((m) => m.kind === "thread");
      assert.equal(rows.filter((m) => m.label.endsWith(" started")).length, 4, JSON.stringify(rows));
      assert.equal(rows.filter((m) => m.label.endsWith(" exited")).length, 4, JSON.stringify(rows));
      assert.ok(rows.every((m) => m.threadId !== undefined && m.label.includes(String(m.threadId))), JSON.stringify(rows));
    } finally {
      await client.close();
    }
  });
});
