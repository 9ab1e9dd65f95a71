// Starts `rewind dap` for each Rewind debug session, and checks launch configurations first.

import * as os from "node:os";
import * as vscode from "vscode";
import { resolveAdapterCommand, resolveLaunchConfiguration } from "./configuration";

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
}
