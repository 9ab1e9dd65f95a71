// What the extension knows about the current Rewind debug session: its position, timeline
// and bookmarks, and the requests it sends to the adapter.

import * as vscode from "vscode";
import type { BookmarkStore } from "./bookmarks";
import {
  parseTimeline,
  RewindCommands,
  type GotoEventArguments,
  type PositionEventBody,
  type ReverseStepArguments,
  type TimelineResponseBody,
} from "./protocol";
import { buildTimelineModel, traceDisplayName, type TimelineViewModel } from "./timelineModel";

export class RewindSession {
  position: PositionEventBody | undefined;
  timeline: TimelineResponseBody | undefined;

  constructor(readonly session: vscode.DebugSession, private readonly bookmarks: BookmarkStore) {}

  /** The key bookmarks are stored under: the trace, or the program recorded into one. */
  get traceKey(): string {
    const config = this.session.configuration;
    return String(config.trace ?? config.program ?? this.session.name);
  }

  model(): TimelineViewModel {
    return buildTimelineModel(traceDisplayName(this.traceKey), this.timeline, this.bookmarks.list(this.traceKey), this.position);
  }

  async refreshTimeline(): Promise<void> {
    const body: unknown = await this.session.customRequest(RewindCommands.timeline, { maxMarkers: 2000 });
    const timeline = parseTimeline(body);
    if (!timeline) throw new Error("the debug adapter answered rewind/timeline with an unexpected body");
    this.timeline = timeline;
  }

  async gotoEvent(target: GotoEventArguments): Promise<void> {
    await this.session.customRequest(RewindCommands.gotoEvent, { ...target, threadId: this.threadId() });
  }

  async reverseStep(command: typeof RewindCommands.reverseNext | typeof RewindCommands.reverseStepOut): Promise<void> {
    const threadId = this.threadId();
    if (threadId === undefined) throw new Error("no thread is selected");
    const args: ReverseStepArguments = { threadId };
    await this.session.customRequest(command, args);
  }

  /** The thread the user looks at: the focused one in the Call Stack view, else the last stop's. */
  threadId(): number | undefined {
    const item = vscode.debug.activeStackItem;
    if (item && item.session.id === this.session.id) return item.threadId;
    return this.position?.threadId;
  }
}
