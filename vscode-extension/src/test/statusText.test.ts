import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatCount, formatPercent, positionText, statusBarText, statusBarTooltip } from "../statusText";

describe("status text", () => {
  it("shows event N of M with the percentage", () => {
    assert.equal(positionText({ event: 1500, totalEvents: 20000, percent: 7.5 }), "event 1,500 of 20,000 (7.5%)");
    assert.equal(positionText({ event: 0, totalEvents: 20000, percent: 0 }), "event 0 of 20,000 (0%)");
    assert.equal(positionText({ event: 13105, totalEvents: 18432, percent: 71.1 }), "event 13,105 of 18,432 (71%)");
  });
  it("says 100% only at the end", () => {
    assert.equal(positionText({ event: 19999, totalEvents: 20000, percent: 99.995 }), "event 19,999 of 20,000 (99%)");
    assert.equal(positionText({ event: 20000, totalEvents: 20000, percent: 100 }), "event 20,000 of 20,000 (100%)");
  });
  it("groups digits without the locale", () => {
    assert.equal(formatCount(0), "0");
    assert.equal(formatCount(999), "999");
    assert.equal(formatCount(1234567), "1,234,567");
  });
  it("formats percentages", () => {
    assert.equal(formatPercent(0.04, false), "0.0%");
    assert.equal(formatPercent(9.96, false), "10.0%");
    assert.equal(formatPercent(-3, false), "0%");
    assert.equal(formatPercent(50, true), "100%");
  });
  it("has a resting state before the first stop", () => {
    assert.equal(statusBarText(undefined), "$(history) Rewind");
    assert.equal(statusBarText({ event: 1, totalEvents: 2, percent: 50 }), "$(history) event 1 of 2 (50%)");
    assert.match(statusBarTooltip({ event: 1, totalEvents: 2, percent: 50 }), /Click to go to another event/);
  });
});
