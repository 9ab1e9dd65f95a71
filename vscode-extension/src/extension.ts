// Rewind's VS Code extension: the `rewind` debugger type, reverse-step buttons, the
// timeline view, bookmarks and the position in the status bar.

import * as vscode from "vscode";
import { RewindAdapterFactory, RewindConfigurationProvider } from "./adapterFactory";
import { BookmarkStore } from "./bookmarks";
import { parseGotoInput, parsePosition, RewindCommands, RewindEvents } from "./protocol";
import { RewindSession } from "./rewindSession";
import { statusBarText, statusBarTooltip } from "./statusText";
import type { TimelineMessage } from "./timelineHtml";
import { buildTimelineModel } from "./timelineModel";
import { TimelineViewProvider } from "./timelineView";

const debugType = "rewind";

export function activate(context: vscode.ExtensionContext): void {
  const bookmarks = new BookmarkStore(context.workspaceState);
  const sessions = new Map<string, RewindSession>();
  const status = vscode.window.createStatusBarItem("rewind.position", vscode.StatusBarAlignment.Left, 50);
  status.name = "Rewind Position";
  status.command = "rewind.gotoEvent";

  const current = (): RewindSession | undefined => {
    const active = vscode.debug.activeDebugSession;
    return active ? sessions.get(active.id) : undefined;
  };
  const requireCurrent = (): RewindSession => {
    const session = current();
    if (!session) throw new Error("no Rewind debug session is active");
    return session;
  };

  const timelineView = new TimelineViewProvider(buildTimelineModel("", undefined, []), (m) => void onTimelineMessage(m));
  const refreshViews = (): void => {
    const session = current();
    timelineView.update(session ? session.model() : buildTimelineModel("", undefined, []));
    status.text = statusBarText(session?.position);
    status.tooltip = statusBarTooltip(session?.position);
    if (session) status.show(); else status.hide();
  };

  const run = (action: () => Promise<void>) => async (): Promise<void> => {
    try {
      await action();
    } catch (e) {
      void vscode.window.showErrorMessage(`Rewind: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const gotoPrompt = run(async () => {
    const session = requireCurrent();
    const total = session.position?.totalEvents ?? session.timeline?.totalEvents;
    const text = await vscode.window.showInputBox({
      title: "Rewind: Go to Event",
      prompt: total !== undefined ? `An event number (0–${total}) or a percentage of the trace` : "An event number or a percentage of the trace",
      placeHolder: "e.g. 1500 or 42%",
      validateInput: (value) => {
        const parsed = parseGotoInput(value, total);
        return "error" in parsed ? parsed.error : undefined;
      },
    });
    if (text === undefined) return;
    const target = parseGotoInput(text, total);
    if ("error" in target) throw new Error(target.error);
    await session.gotoEvent(target);
  });

  const addBookmark = run(async () => {
    const session = requireCurrent();
    const event = session.position?.event;
    if (event === undefined) throw new Error("the session has not stopped yet");
    const label = await vscode.window.showInputBox({ title: "Rewind: Add Bookmark", prompt: `A name for event ${event}`, value: `Event ${event}` });
    if (label === undefined) return;
    await bookmarks.add(session.traceKey, event, label);
    refreshViews();
  });

  async function onTimelineMessage(message: TimelineMessage): Promise<void> {
    switch (message.type) {
      case "gotoEvent":
        await run(() => requireCurrent().gotoEvent({ event: message.event }))();
        break;
      case "gotoPrompt":
        await gotoPrompt();
        break;
      case "addBookmark":
        await addBookmark();
        break;
      case "removeBookmark": {
        const session = current();
        if (session) await bookmarks.remove(session.traceKey, message.id);
        refreshViews();
        break;
      }
      case "ready":
        refreshViews();
        break;
    }
  }

  const refreshTimeline = run(async () => {
    await requireCurrent().refreshTimeline();
    refreshViews();
  });

  context.subscriptions.push(
    status,
    vscode.debug.registerDebugAdapterDescriptorFactory(debugType, new RewindAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(debugType, new RewindConfigurationProvider()),
    vscode.window.registerWebviewViewProvider(TimelineViewProvider.viewId, timelineView, { webviewOptions: { retainContextWhenHidden: true } }),
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.type !== debugType) return;
      sessions.set(s.id, new RewindSession(s, bookmarks));
      void vscode.commands.executeCommand("setContext", "rewind.timelineVisible", true);
      refreshViews();
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      sessions.delete(s.id);
      refreshViews();
    }),
    vscode.debug.onDidChangeActiveDebugSession(() => refreshViews()),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const session = sessions.get(e.session.id);
      if (!session || e.event !== RewindEvents.position) return;
      const position = parsePosition(e.body);
      if (!position) return;
      session.position = position;
      refreshViews();
      // The first stop loads the timeline; later stops only move the cursor.
      if (!session.timeline) void refreshTimeline();
    }),
    vscode.commands.registerCommand("rewind.reverseStepOver", run(() => requireCurrent().reverseStep(RewindCommands.reverseNext))),
    vscode.commands.registerCommand("rewind.reverseStepOut", run(() => requireCurrent().reverseStep(RewindCommands.reverseStepOut))),
    vscode.commands.registerCommand("rewind.gotoEvent", gotoPrompt),
    vscode.commands.registerCommand("rewind.addBookmark", addBookmark),
    vscode.commands.registerCommand("rewind.refreshTimeline", refreshTimeline),
    vscode.commands.registerCommand("rewind.recordAndDebug", run(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const picked = await vscode.window.showOpenDialog({
        title: "Rewind: Record and Debug Program",
        openLabel: "Record",
        canSelectMany: false,
        defaultUri: folder?.uri,
      });
      if (!picked || picked.length === 0) return;
      const argsText = await vscode.window.showInputBox({ title: "Rewind: Program Arguments", prompt: "Arguments, separated by spaces (optional)" });
      if (argsText === undefined) return;
      const program = picked[0].fsPath;
      await vscode.debug.startDebugging(folder, {
        type: debugType,
        request: "launch",
        name: `Record and debug ${program.split("/").pop() ?? program}`,
        program,
        args: argsText.trim() === "" ? [] : argsText.trim().split(/\s+/),
      });
    })),
  );
}

export function deactivate(): void {}
