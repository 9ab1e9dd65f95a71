import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseGotoInput, parsePosition, parseTimeline } from "../protocol";

describe("parsePosition", () => {
  it("reads a rewind/position body", () => {
    assert.deepEqual(parsePosition({ event: 250, totalEvents: 1000, percent: 25, threadId: 7 }), { event: 250, totalEvents: 1000, percent: 25, threadId: 7 });
  });
  it("computes a missing percentage and clamps a wrong one", () => {
    assert.equal(parsePosition({ event: 1, totalEvents: 4 })?.percent, 25);
    assert.equal(parsePosition({ event: 0, totalEvents: 0 })?.percent, 0);
    assert.equal(parsePosition({ event: 5, totalEvents: 4, percent: 125 })?.percent, 100);
  });
  it("rejects what is not a position", () => {
    for (const body of [undefined, null, 5, "x", [], {}, { event: -1, totalEvents: 3 }, { event: 1.5, totalEvents: 3 }, { event: "1", totalEvents: 3 }]) {
      assert.equal(parsePosition(body), undefined, JSON.stringify(body));
    }
  });
});

describe("parseTimeline", () => {
  it("keeps valid markers and drops malformed or unknown ones", () => {
    const body = {
      totalEvents: 100,
      currentEvent: 10,
      markers: [
        { kind: "signal", event: 99, label: "SIGSEGV", threadId: 7, detail: "at 0x0" },
        { kind: "teleport", event: 5, label: "from a newer adapter" },
        { kind: "output", event: "5", label: "bad event" },
        { kind: "output", event: 6 },
        "junk",
        { kind: "checkpoint", event: 1, label: "Checkpoint 0", extra: true },
      ],
    };
    assert.deepEqual(parseTimeline(body), {
      totalEvents: 100,
      currentEvent: 10,
      markers: [
        { kind: "signal", event: 99, label: "SIGSEGV", threadId: 7, detail: "at 0x0" },
        { kind: "checkpoint", event: 1, label: "Checkpoint 0" },
      ],
    });
  });
  it("rejects a body without the required fields", () => {
    assert.equal(parseTimeline({ totalEvents: 1, currentEvent: 0 }), undefined);
    assert.equal(parseTimeline(undefined), undefined);
  });
});

describe("parseGotoInput", () => {
  it("reads event numbers in the forms people type", () => {
    assert.deepEqual(parseGotoInput("1500"), { event: 1500 });
    assert.deepEqual(parseGotoInput(" #1,500 "), { event: 1500 });
    assert.deepEqual(parseGotoInput("1_000_000"), { event: 1000000 });
  });
  it("reads percentages", () => {
    assert.deepEqual(parseGotoInput("42%"), { percent: 42 });
    assert.deepEqual(parseGotoInput("42.5 %"), { percent: 42.5 });
    assert.deepEqual(parseGotoInput("100%"), { percent: 100 });
  });
  it("explains what is wrong", () => {
    assert.deepEqual(parseGotoInput("101%"), { error: "a percentage is between 0% and 100%" });
    assert.deepEqual(parseGotoInput("2000", 1000), { error: "the trace has 1000 events" });
    assert.ok("error" in parseGotoInput("soon"));
    assert.ok("error" in parseGotoInput(""));
    assert.ok("error" in parseGotoInput("-3"));
    assert.ok("error" in parseGotoInput("99999999999999999999"));
  });
});
