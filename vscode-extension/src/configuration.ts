// Launch configuration checks and the adapter command line. No `vscode` import.

/** A `rewind` launch configuration as VS Code hands it over (any JSON the user wrote). */
export interface LaunchConfiguration {
  type?: string;
  request?: string;
  name?: string;
  trace?: unknown;
  program?: unknown;
  args?: unknown;
  cwd?: unknown;
  env?: unknown;
  stopAt?: unknown;
  pid?: unknown;
  [key: string]: unknown;
}

/** What is known around the F5 press, to build a configuration when there is none. */
export interface ResolveContext {
  /** The file open in the active editor, if any. */
  activeFile?: string;
  workspaceFolder?: string;
}

export type Resolution = { config: LaunchConfiguration } | { error: string };

/**
 * Checks a launch configuration before the adapter starts, so mistakes show as one clear
 * message instead of a failed launch. An empty configuration (F5 without launch.json) opens
 * the active editor's trace, if it is one.
 */
export function resolveLaunchConfiguration(config: LaunchConfiguration, context: ResolveContext = {}): Resolution {
  let resolved: LaunchConfiguration = { ...config };
  if (!resolved.type && !resolved.request && !resolved.name) {
    if (context.activeFile?.endsWith(".rwd")) {
      resolved = { type: "rewind", request: "launch", name: "Replay trace", trace: context.activeFile };
    } else {
      return { error: "Open a trace (.rwd) or add a 'rewind' launch configuration to debug with Rewind." };
    }
  }
  if (resolved.request !== undefined && resolved.request !== "launch") {
    return { error: `Rewind supports only "request": "launch", not ${JSON.stringify(resolved.request)}.` };
  }
  const hasTrace = resolved.trace !== undefined && resolved.trace !== "";
  const hasProgram = resolved.program !== undefined && resolved.program !== "";
  if (hasTrace === hasProgram) {
    return { error: hasTrace
      ? "Give either \"trace\" (to replay) or \"program\" (to record first), not both."
      : "Give \"trace\" (a .rwd file to replay) or \"program\" (to record first)." };
  }
  if (hasTrace && typeof resolved.trace !== "string") return { error: "\"trace\" must be a path." };
  if (hasProgram && typeof resolved.program !== "string") return { error: "\"program\" must be a path." };
  if (resolved.args !== undefined) {
    if (!Array.isArray(resolved.args) || !resolved.args.every((a) => typeof a === "string")) {
      return { error: "\"args\" must be an array of strings." };
    }
    if (hasTrace) return { error: "\"args\" applies to \"program\" only; a trace already holds its arguments." };
  }
  if (resolved.cwd !== undefined && typeof resolved.cwd !== "string") return { error: "\"cwd\" must be a path." };
  if (resolved.env !== undefined) {
    const env = resolved.env;
    if (typeof env !== "object" || env === null || Array.isArray(env) ||
        !Object.values(env).every((v) => typeof v === "string")) {
      return { error: "\"env\" must map names to string values." };
    }
  }
  if (resolved.stopAt !== undefined && resolved.stopAt !== "start" && resolved.stopAt !== "end") {
    return { error: `"stopAt" is "start" or "end", not ${JSON.stringify(resolved.stopAt)}.` };
  }
  if (resolved.pid !== undefined) {
    if (!hasTrace) return { error: "\"pid\" names a process of a trace: give it with \"trace\"." };
    if (resolved.pid !== "pick" && !(Number.isInteger(resolved.pid) && (resolved.pid as number) > 0)) {
      return { error: `"pid" is a process id of the trace (rewind ps lists them) or "pick", not ${JSON.stringify(resolved.pid)}.` };
    }
  }
  if (hasProgram && resolved.cwd === undefined && context.workspaceFolder) {
    resolved.cwd = context.workspaceFolder;
  }
  return { config: resolved };
}

/** A process of a trace as `rewind ps --json` lists it. */
export interface TraceProcess {
  pid: number;
  parent?: number;
  commandLine: string[];
  exit?: { code?: number; name?: string };
  events: number;
}

/** One entry of the process picker: what the user reads, and the pid it stands for. */
export interface ProcessPick {
  label: string;
  description: string;
  detail: string;
  pid: number;
}

/**
 * The picker's entries for the processes of a trace (`rewind ps --json`), in the order they
 * were created: the program and its pid, then the parent and how it ended, then the whole
 * command line.
 */
export function processPicks(psJson: string): ProcessPick[] {
  const processes = JSON.parse(psJson) as TraceProcess[];
  return processes.map((p) => {
    const ended = p.exit === undefined ? "did not end" : p.exit.name !== undefined ? `killed by ${p.exit.name}` : `exit ${p.exit.code}`;
    const program = p.commandLine[0] ?? "?";
    return {
      label: `${program.split("/").pop()} (${p.pid})`,
      description: `${p.parent === undefined ? "first process" : `child of ${p.parent}`}, ${ended}, ${p.events} events`,
      detail: p.commandLine.join(" "),
      pid: p.pid,
    };
  });
}

/** The command VS Code runs as the debug adapter: `<rewind.path> dap`. */
export interface AdapterCommand {
  command: string;
  args: string[];
}

/**
 * Turns the `rewind.path` setting into the adapter's command line. An empty setting means
 * `rewind` on PATH; `${workspaceFolder}` and a leading `~/` are expanded.
 */
export function resolveAdapterCommand(setting: unknown, workspaceFolder?: string, home?: string): AdapterCommand {
  let command = typeof setting === "string" && setting.trim() !== "" ? setting.trim() : "rewind";
  if (workspaceFolder !== undefined) command = command.split("${workspaceFolder}").join(workspaceFolder);
  if (home !== undefined && command.startsWith("~/")) command = home + command.slice(1);
  return { command, args: ["dap"] };
}
