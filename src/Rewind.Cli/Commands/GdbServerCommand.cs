using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Rewind.Cli.Gdb;
using Rewind.Timeline;
using Rewind.Trace;

namespace Rewind.Cli.Commands;

/// <summary>
/// `rewind gdbserver`: gdb's remote protocol over stdin/stdout (`target remote | rewind gdbserver
/// app.rwd`) or over one TCP connection on 127.0.0.1. In the stdio mode stdout carries the
/// protocol only: the program's replayed output and all logs go to stderr.
/// </summary>
internal sealed class GdbServerCommand : ICommand
{
    public string Name => "gdbserver";

    public string Usage => "gdbserver [--port N] [--pid PID] [TRACE]";

    public string Summary => "Serve a trace to gdb, with reverse execution: `target remote | rewind gdbserver TRACE` in gdb.";

    public string Help => """
        options:
          --port N   serve one gdb client on 127.0.0.1:N instead of stdin/stdout
          --pid PID  debug process PID of the trace (rewind ps lists them) instead of the first:
                     from its last exec, or from its fork if it never exec'd
        TRACE defaults to the latest recording. docs/gdb.md tells what gdb sees.

        examples:
          gdb -ex 'target remote | rewind gdbserver sort.rwd'
          rewind gdbserver --port 2345 sort.rwd   then, in gdb: target remote 127.0.0.1:2345
        """;

    public int Run(Arguments args)
    {
        string? portText = args.Option("--port");
        string? pidText = args.Option("--pid");
        int? pid = pidText == null ? null
            : int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
            : throw new UsageException($"--pid takes a process id, not '{pidText}'");
        var positionals = args.Positionals(1);
        int? port = portText == null ? null
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p <= 65535 ? p
            : throw new UsageException($"--port takes a port number, not '{portText}'");
        string path = TracePaths.Resolve(positionals.Count > 0 ? positionals[0] : null);
        bool verbose = Environment.GetEnvironmentVariable("REWIND_VERBOSE") == "1";
        using var trace = TraceFile.Open(path);
        using var stderr = Console.OpenStandardError();

        // Ctrl-C in gdb's terminal reaches this process too; gdb, not the signal, ends the session.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        void ProgramOutput(int fd, ReadOnlySpan<byte> data)
        {
            stderr.Write(data);
            stderr.Flush();
        }
        Action<string>? log = verbose ? line => Console.Error.WriteLine($"rewind gdbserver: {line}") : null;

        if (port is not { } tcpPort)
        {
            using var stdin = Console.OpenStandardInput();
            using var stdout = Console.OpenStandardOutput();
            Serve(trace, pid, stdin, stdout, ProgramOutput, log);
            return 0;
        }
        using var listener = new TcpListener(IPAddress.Loopback, tcpPort);
        listener.Start(1);
        int bound = ((IPEndPoint)listener.LocalEndpoint).Port;
        Console.Error.WriteLine($"rewind: serving {path} on 127.0.0.1:{bound}; in gdb: target remote 127.0.0.1:{bound}");
        using var client = listener.AcceptTcpClient();
        listener.Stop();
        client.NoDelay = true;
        using var stream = client.GetStream();
        Serve(trace, pid, stream, stream, ProgramOutput, log);
        return 0;
    }

    private static void Serve(TraceFile trace, int? pid, Stream input, Stream output, Action<int, ReadOnlySpan<byte>> programOutput, Action<string>? log) =>
        TracerThread.Run(() =>
        {
            using var timeline = ReplayTimeline.Open(trace, (fd, data) => programOutput(fd, data), pid);
            new GdbServer(timeline, input, output, log).Serve();
            return 0;
        });
}
