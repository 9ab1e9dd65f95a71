namespace Rewind.Cli.Tests.Gdb;

/// <summary>gdb's Ctrl-C reaches a motion under way: the continue stops where it is, as a SIGINT stop, and the session goes on.</summary>
[Collection("gdb")]
public sealed class InterruptTests(GdbFixture fixture)
{
    [GdbFact]
    public void Ctrl_C_stops_a_continue_under_way_with_SIGINT()
    {
        var spin = Debuggee.Build("spin", fixture.NewScratch());
        // Seconds of a loop with no syscall: a continue over it can only end early by the interrupt.
        string trace = fixture.Record(spin.Binary, "spin.rwd", "4000000000");
        using var server = RawClient.StartServer(trace);
        try
        {
            var client = new RawClient(server.StandardInput.BaseStream, server.StandardOutput.BaseStream);
            Assert.Equal("OK", client.Ask("QStartNoAckMode"));

            client.SendRaw(RawClient.Frame("c"));
            // As a user would, press Ctrl-C again while nothing answers: on a loaded machine the
            // first may come before the server has begun the continue, which then starts afresh.
            var reply = Task.Run(client.ReadPacket);
            while (!reply.Wait(TimeSpan.FromMilliseconds(300)))
            {
                client.SendRaw("\u0003");
            }

            Assert.Matches("^T02thread:p[0-9a-f]+\\.[0-9a-f]+;$", reply.Result);
            Assert.Contains("replaylog:begin", client.Ask("bc"));
            Assert.Equal("OK", client.Ask("vKill;1"));
            Assert.True(server.WaitForExit(30_000), "the server did not end after vKill");
        }
        finally
        {
            if (!server.HasExited)
                server.Kill(entireProcessTree: true);
        }
    }
}
