// Starts `rewind dap` for each Rewind debug session, and checks launch configurations first.

import { execFile } from "node:child_process";
import * as os from "node:os";
import { promisify } from "node:util";
import * as vscode from "vscode";
import { processPicks, resolveAdapterCommand, resolveLaunchConfiguration } from "./configuration";

/** The `rewind` command that the `rewind.path` setting names for a workspace folder. */
function rewindCommand(folder: vscode.WorkspaceFolder | undefined): string {
  const setting = vscode.workspace.getConfiguration("rewind", folder).get<string>("path");
  return resolveAdapterCommand(setting, folder?.uri.fsPath, os.homedir()).command;
}

export class RewindAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const setting = vscode.workspace.getConfiguration("rewind", session.workspaceFolder).get<string>("path");
    const { command, args } = resolveAdapterCommand(setting, session.workspaceFolder?.uri.fsPath, os.homedir());
    return new vscode.DebugAdapterExecutable(command, args);
  }
}

export class RewindConfigurationProvider implements vscode.DebugConfigurationProvider {
  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const result = resolveLaunchConfiguration(config, {
      activeFile: vscode.window.activeTextEditor?.document.uri.fsPath,
      workspaceFolder: folder?.uri.fsPath,
    });
    if ("error" in result) {
      void vscode.window.showErrorMessage(result.error);
      return undefined; // Cancels the launch.
    }
    return result.config as vscode.DebugConfiguration;
  }

  /** `"pid": "pick"`: the user picks one of the trace's processes (`rewind ps --json`), once its path is known. */
  async resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    if (config.pid !== "pick") return config;
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(rewindCommand(folder), ["ps", "--json", String(config.trace)]));
    } catch (e) {
      void vscode.window.showErrorMessage(`Rewind: cannot list the processes of ${config.trace}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(processPicks(stdout), { title: "Rewind: Debug Which Process?", matchOnDetail: true });
    return picked === undefined ? undefined : { ...config, pid: picked.pid };
  }
}
