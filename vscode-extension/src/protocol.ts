// Rewind's custom DAP messages (docs/dap.md), and checks that turn the untyped bodies the
// debug adapter sends into typed values. No `vscode` import: this runs under `node --test`.

export const RewindCommands = {
  timeline: "rewind/timeline",
  gotoEvent: "rewind/gotoEvent",
  reverseNext: "rewind/reverseNext",
  reverseStepOut: "rewind/reverseStepOut",
} as const;

export const RewindEvents = {
  position: "rewind/position",
} as const;

export type MarkerKind = "start" | "exit" | "checkpoint" | "signal" | "output" | "thread" | "syscall";

export const markerKinds: readonly MarkerKind[] = ["start", "exit", "checkpoint", "signal", "output", "thread", "syscall"];

/** One point of interest of the trace, as `rewind/timeline` answers it. */
export interface TimelineMarker {
  kind: MarkerKind;
  event: number;
  label: string;
  threadId?: number;
  detail?: string;
}

/** The body of the `rewind/timeline` response. */
export interface TimelineResponseBody {
  totalEvents: number;
  currentEvent: number;
  markers: TimelineMarker[];
}

/** The body of the `rewind/position` event. */
export interface PositionEventBody {
  event: number;
  totalEvents: number;
  percent: number;
  threadId?: number;
}

/** The arguments of `rewind/gotoEvent`: an event index or a percentage of the trace. */
export type GotoEventArguments = { event: number; threadId?: number } | { percent: number; threadId?: number };

/** The arguments of `rewind/reverseNext` and `rewind/reverseStepOut`. */
export interface ReverseStepArguments {
  threadId: number;
  granularity?: "statement" | "line" | "instruction";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/** Reads a `rewind/position` body; undefined when it is not one. */
export function parsePosition(body: unknown): PositionEventBody | undefined {
  if (!isRecord(body) || !isCount(body.event) || !isCount(body.totalEvents)) return undefined;
  const percent = typeof body.percent === "number" && Number.isFinite(body.percent)
    ? Math.min(100, Math.max(0, body.percent))
    : body.totalEvents === 0 ? 0 : (100 * body.event) / body.totalEvents;
  const position: PositionEventBody = { event: body.event, totalEvents: body.totalEvents, percent };
  if (isCount(body.threadId)) position.threadId = body.threadId;
  return position;
}

/**
 * Reads a `rewind/timeline` body. Markers that are malformed or of a kind this version does
 * not know are dropped, so a newer adapter does not break an older extension.
 */
export function parseTimeline(body: unknown): TimelineResponseBody | undefined {
  if (!isRecord(body) || !isCount(body.totalEvents) || !isCount(body.currentEvent) || !Array.isArray(body.markers)) {
    return undefined;
  }
  const markers: TimelineMarker[] = [];
  for (const m of body.markers as unknown[]) {
    if (!isRecord(m) || !isCount(m.event) || typeof m.label !== "string") continue;
    if (typeof m.kind !== "string" || !(markerKinds as readonly string[]).includes(m.kind)) continue;
    const marker: TimelineMarker = { kind: m.kind as MarkerKind, event: m.event, label: m.label };
    if (isCount(m.threadId)) marker.threadId = m.threadId;
    if (typeof m.detail === "string") marker.detail = m.detail;
    markers.push(marker);
  }
  return { totalEvents: body.totalEvents, currentEvent: body.currentEvent, markers };
}

/**
 * Parses what the user typed in "Go to Event…": an event index ("1500", "#1500", "1,500")
 * or a percentage ("42%", "42.5 %"). Returns an error message for anything else.
 */
export function parseGotoInput(text: string, totalEvents?: number): GotoEventArguments | { error: string } {
  const input = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(input);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 100) return { error: "a percentage is between 0% and 100%" };
    return { percent: value };
  }
  const event = /^#?\s*(\d[\d,_]*)$/.exec(input);
  if (event) {
    const value = Number(event[1].replace(/[,_]/g, ""));
    if (!Number.isSafeInteger(value)) return { error: "that event number is too large" };
    if (totalEvents !== undefined && value > totalEvents) {
      return { error: `the trace has ${totalEvents} events` };
    }
    return { event: value };
  }
  return { error: "type an event number (e.g. 1500) or a percentage (e.g. 42%)" };
}
