using Rewind.Dap;
using Rewind.Dap.Engine;

namespace Rewind.Cli.Commands;

/// <summary>`rewind dap`: the Debug Adapter Protocol on stdin/stdout, for VS Code and other DAP clients.</summary>
internal sealed class DapCommand : ICommand
{
    public string Name => "dap";

    public string Usage => "dap";

    public string Summary => "Serve the Debug Adapter Protocol on stdin/stdout (VS Code's extension starts this).";

    public int Run(Arguments args)
    {
        args.Positionals(0);
        // stdout is the protocol: everything else goes to stderr.
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return DapServer.Run(input, output, Console.Error, new TimelineSessionFactory());
    }
}
