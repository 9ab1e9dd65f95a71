using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Rewind.Cli.Tests.Gdb;

/// <summary>What gdb would never send, and how the server ends: errors for bad packets, a clean end on disconnection.</summary>
[Collection("gdb")]
public sealed partial class ProtocolRobustnessTests(GdbFixture fixture)
{
    [GdbFact]
    public void MalformedPacketsGetErrorRepliesAndTheSessionGoesOn()
    {
        using var server = RawClient.StartServer(fixture.ExitsTrace);
        try
        {
            var client = new RawClient(server.StandardInput.BaseStream, server.StandardOutput.BaseStream);
            client.SendRaw("$g#00");
            Assert.Equal('-', (char)client.ReadByte());

            foreach (string bad in (string[])["m", "mzz,4", "m10,", "Z0", "Z0,zz,1", "pzz", "p;", "qXfer:features:read:target.xml:zz",
                "vCont;x", "vCont;r1,2", "vFile:open:zzz,0,0", "qRcmd,zz", "Z2,0,0"])
            {
                Assert.Matches("^E", client.Ask(bad));
            }
            Assert.Equal("", client.Ask("vMustReplyEmpty"));
            Assert.Equal("", client.Ask("qNoSuchThing"));
            Assert.Equal("E00", client.Ask("p999"));
            Assert.Equal("F-1,9", client.Ask("vFile:pread:77,10,0"));
            Assert.Equal("F-1,16", client.Ask("vFile:pread:1,2"));
            Assert.Equal("F-1,2", client.Ask("vFile:open:" + Convert.ToHexStringLower("/no/such/file"u8) + ",0,0"));
            Assert.StartsWith("E.", client.Ask("M1000,1:00"));
            Assert.StartsWith("E.", client.Ask("P0=0000000000000000"));

            Assert.Contains("ReverseContinue+", client.Ask("qSupported:multiprocess+;swbreak+"));
            Assert.Equal("OK", client.Ask("QStartNoAckMode"));
            Assert.Matches("^T05thread:p[0-9a-f]+\\.[0-9a-f]+;", client.Ask("?"));
            Assert.Matches("^[0-9a-f]{200,}$", client.Ask("g"));
            Assert.StartsWith("T05", client.Ask("bs"));
            Assert.Contains("replaylog:begin", client.Ask("bc"));
            Assert.Equal("OK", client.Ask("vKill;1"));
            Assert.True(server.WaitForExit(30_000), "the server did not end after vKill");
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }

    [GdbFact]
    public void ADisconnectedClientEndsTheServerWithNoProcessLeftBehind()
    {
        using var server = RawClient.StartServer(fixture.ExitsTrace);
        try
        {
            var client = new RawClient(server.StandardInput.BaseStream, server.StandardOutput.BaseStream);
            client.Ask("qSupported");
            Assert.Equal("OK", client.Ask("Z0," + BumpAddress(client) + ",1"));
            Assert.Contains("swbreak", client.Ask("c"));
            Assert.Contains("swbreak", client.Ask("c"));
            Assert.Contains("swbreak", client.Ask("bc"));
            var replays = Traced(server.Id);
            Assert.NotEmpty(replays);

            server.StandardInput.Close();
            Assert.True(server.WaitForExit(30_000), "the server did not end when its client went away");
            Assert.Equal(0, server.ExitCode);
            foreach (int pid in replays)
            {
                Assert.True(IsGone(pid), $"replay process {pid} outlived the server");
            }
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }

    [GdbFact]
    public void ServesOneClientOnATcpPort()
    {
        using var server = RawClient.StartServer(fixture.ExitsTrace, "--port", "0");
        try
        {
            var announce = Task.Run(() => server.StandardError.ReadLine());
            Assert.True(announce.Wait(60_000), "the server did not say where it listens");
            int port = int.Parse(ListeningOn().Match(announce.Result ?? "").Groups[1].Value);
            using var tcp = new TcpClient("127.0.0.1", port);
            using var stream = tcp.GetStream();
            var client = new RawClient(stream, stream);
            Assert.Contains("PacketSize", client.Ask("qSupported"));
            Assert.StartsWith("T05", client.Ask("?"));
            Assert.StartsWith("l<?xml", client.Ask("qXfer:features:read:target.xml:0,3fff"));
            client.SendRaw(RawClient.Frame("k"));
            Assert.True(server.WaitForExit(30_000), "the server did not end after k");
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }

    /// <summary>bump's address, from the symbol table of the binary: nm is not needed, gdb's own 'info address' is.</summary>
    private string BumpAddress(RawClient _)
    {
        var r = ChildProcess.Run(GdbEnvironment.GdbPath!, ["-q", "-batch", "-nx", "-ex", "info line bump", fixture.Travel.Binary]);
        // A PIE binary runs ASLR-free at 0x555555554000 (the recorder turns randomisation off).
        ulong offset = Convert.ToUInt64(StartsAt().Match(r.Stdout).Groups[1].Value, 16);
        return (0x555555554000 + offset).ToString("x");
    }

    /// <summary>The processes the server traces (its replays and snapshots). A tracer is a thread: TracerPid names the server's tracer thread.</summary>
    private static List<int> Traced(int server)
    {
        var threads = Directory.EnumerateDirectories($"/proc/{server}/task").Select(d => Path.GetFileName(d)).ToHashSet();
        return Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!))
            .Where(pid => Status(pid) is { } s && TracerOf().Match(s) is { Success: true } m && threads.Contains(m.Groups[1].Value)).ToList();
    }

    private static bool IsGone(int pid)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            string? status = Status(pid);
            if (status == null || status.Contains("State:\tZ"))
                return true;
            Thread.Sleep(50);
        }
        return false;
    }

    private static string? Status(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/status");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"TracerPid:\t(\d+)")]
    private static partial Regex TracerOf();

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"starts at address 0x([0-9a-f]+)")]
    private static partial Regex StartsAt();
}
