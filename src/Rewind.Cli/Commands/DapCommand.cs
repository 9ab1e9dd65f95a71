using Rewind.Dap;
using Rewind.Dap.Engine;

namespace Rewind.Cli.Commands;

/// <summary>`rewind dap`: the Debug Adapter Protocol on stdin/stdout, for VS Code and other DAP clients.</summary>
internal sealed class DapCommand : ICommand
{
    public string Name => "dap";

    public string Usage => "dap";

    public string Summary => "Serve the Debug Adapter Protocol on stdin/stdout (VS Code's extension starts this).";

    public string Help => """
        Speaks the Debug Adapter Protocol on stdin and stdout; the VS Code extension
        (vscode-extension/) starts it, and any DAP client can. Its launch arguments are
        {"trace": PATH} or {"program": PATH, "args": [...]} (docs/dap.md).

        example, in a launch.json:
          { "type": "rewind", "request": "launch", "name": "Replay", "trace": "${workspaceFolder}/app.rwd" }
        """;

    public int Run(Arguments args)
    {
        args.Positionals(0);
        // stdout is the protocol: everything else goes to stderr.
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return DapServer.Run(input, output, Console.Error, new TimelineSessionFactory());
    }
}
