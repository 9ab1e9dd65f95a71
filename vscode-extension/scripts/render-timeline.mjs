#!/usr/bin/env node
// Renders the timeline webview from sample data outside VS Code, with headless Chromium,
// into docs/timeline.png (or the path given as the first argument).
//
//   npm run render-timeline -w vscode-extension     (needs `chromium`: apt-get install -y chromium)

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sampleBookmarks, samplePosition, sampleTimeline } from "./sample-timeline.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { renderTimelineHtml } = require("../out/timelineHtml.js");
const { buildTimelineModel } = require("../out/timelineModel.js");

const output = resolve(process.argv[2] ?? join(here, "..", "..", "docs", "timeline.png"));
const browser = process.env.CHROMIUM ?? "chromium";

const model = buildTimelineModel("inventory.rwd", sampleTimeline, sampleBookmarks, samplePosition);
const html = renderTimelineHtml(model, { nonce: "sample", cspSource: "" });

const work = mkdtempSync(join(tmpdir(), "rewind-timeline-"));
try {
  const page = join(work, "timeline.html");
  writeFileSync(page, html);
  mkdirSync(dirname(output), { recursive: true });
  execFileSync(browser, [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--force-device-scale-factor=2",
    `--user-data-dir=${join(work, "profile")}`,
    `--screenshot=${output}`, "--window-size=400,900",
    `file://${page}`,
  ], { stdio: ["ignore", "ignore", "pipe"] });
  console.log(`wrote ${output}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
