// The "Rewind Timeline" webview view in the Run and Debug container.

import * as vscode from "vscode";
import { makeNonce, renderTimelineHtml, type TimelineMessage } from "./timelineHtml";
import type { TimelineViewModel } from "./timelineModel";

export class TimelineViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = "rewind.timeline";

  private view: vscode.WebviewView | undefined;

  constructor(private model: TimelineViewModel, private readonly onMessage: (message: TimelineMessage) => void) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [] };
    view.webview.html = renderTimelineHtml(this.model, { nonce: makeNonce(), cspSource: view.webview.cspSource });
    view.webview.onDidReceiveMessage((message: TimelineMessage) => this.onMessage(message));
    view.onDidDispose(() => {
      this.view = undefined;
    });
  }

  update(model: TimelineViewModel): void {
    this.model = model;
    void this.view?.webview.postMessage({ type: "update", model });
  }
}
