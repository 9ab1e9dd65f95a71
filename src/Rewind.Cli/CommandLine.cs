using Rewind.Linux;

namespace Rewind.Cli;

/// <summary>
/// Dispatches a verb and is the edge where errors become one line on stderr and an exit
/// status: 2 for usage, 1 for anything else. A stack trace is never shown; REWIND_DEBUG=1 does.
/// </summary>
internal static class CommandLine
{
    public static int Run(string[] args, IReadOnlyList<ICommand> commands)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintHelp(commands, Console.Out);
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] == "--version")
        {
            Console.WriteLine($"rewind {typeof(CommandLine).Assembly.GetName().Version?.ToString(3)}");
            return 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command == null)
        {
            return Fail($"unknown command '{args[0]}' (try 'rewind --help')", 2);
        }
        // A --help after "--" is the recorded program's.
        if (args[1..].TakeWhile(a => a != "--").Any(a => a is "-h" or "--help"))
        {
            Console.Out.Write($"usage: rewind {command.Usage}\n\n{command.Summary}\n\n{command.Help}");
            return 0;
        }
        try
        {
            return command.Run(new Arguments(args[1..]));
        }
        catch (UsageException e)
        {
            return Fail($"{e.Message}\nusage: rewind {command.Usage}", 2);
        }
        catch (RewindException e)
        {
            return Fail(e.Message, 1, e);
        }
        catch (IOException e)
        {
            return Fail(e.Message, 1, e);
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(e.Message, 1, e);
        }
        catch (Exception e)
        {
            // A bug of ours: still one line, with the details behind REWIND_DEBUG=1.
            var inner = e.GetBaseException();
            return Fail($"internal error: {inner.GetType().Name}: {inner.Message} (REWIND_DEBUG=1 shows where)", 70, e);
        }
    }

    internal static int Fail(string message, int status, Exception? e = null)
    {
        Progress.Clear();
        Console.Error.WriteLine($"rewind: {message}");
        if (e != null && Environment.GetEnvironmentVariable("REWIND_DEBUG") == "1")
        {
            Console.Error.WriteLine(e);
        }
        return status;
    }

    private static void PrintHelp(IReadOnlyList<ICommand> commands, TextWriter o)
    {
        o.WriteLine("rewind: record a Linux program once, then travel back and forth through that run;");
        o.WriteLine("or freeze a running program into an image, and resume it later or elsewhere.");
        o.WriteLine();
        foreach (var c in commands)
        {
            o.WriteLine($"  rewind {c.Usage}");
            o.WriteLine($"      {c.Summary}");
        }
        o.WriteLine();
        o.WriteLine($"Without -o, recordings go to {TracePaths.Directory} (or $XDG_DATA_HOME/rewind), and");
        o.WriteLine("the last one is 'latest' there: a verb given no TRACE uses it.");
        o.WriteLine("rewind VERB --help tells a verb's options, with an example.");
    }

    /// <summary>Reports a program killed by a signal the way a shell does, and returns 128+signal.</summary>
    internal static int ReportExit(Trace.ExitStatus status)
    {
        if (status.Signal != 0 && status.Signal != Signal.SIGINT && status.Signal != Signal.SIGPIPE)
        {
            Console.Error.WriteLine(Signal.Description(status.Signal) + (status.CoreDumped ? " (core dumped)" : ""));
        }
        return status.ShellCode;
    }
}
