using Rewind.Core.Tests.EndToEnd;
using Rewind.Linux;

namespace Rewind.Core.Tests.Linux;

/// <summary>
/// What a process rewind starts inherits from the thread that starts it, whichever runtime that
/// thread belongs to: CoreCLR gives every thread an alternate signal stack, NativeAOT (the
/// installed CLI) none, and execve keeps the stack's flags, which every signal frame shows.
/// </summary>
[Collection("tracer")]
public sealed unsafe class ProcessSpawnTests(Debuggees programs)
{
    [TracerFact]
    public void A_process_started_from_a_thread_with_no_alternate_stack_starts_as_after_one_with_a_stack()
    {
        string output = Path.Combine(programs.NewScratch(), "flags");
        RunOnOwnThread(() =>
        {
            Interop.AltStack own;
            Assert.Equal(0, Interop.sigaltstack(null, &own));
            var none = new Interop.AltStack { Flags = Interop.SS_DISABLE };
            Assert.Equal(0, Interop.sigaltstack(&none, null));
            try
            {
                Assert.Equal(0, ExitOf(ProcessSpawn.Start(programs.AltStackFlags, [programs.AltStackFlags, output], [], processGroup: 0, inheritedMask: false)));
                Interop.AltStack after;
                Assert.Equal(0, Interop.sigaltstack(null, &after));
                Assert.Equal(Interop.SS_DISABLE, after.Flags);
            }
            finally
            {
                // The runtime's own stack back, where it gave the thread one.
                if ((own.Flags & Interop.SS_DISABLE) == 0)
                    Assert.Equal(0, Interop.sigaltstack(&own, null));
            }
        });

        Assert.Equal("ss_flags 0\n", File.ReadAllText(output));
    }

    private static void RunOnOwnThread(Action work)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure != null)
            throw failure;
    }

    private static int ExitOf(int pid)
    {
        Assert.Equal(pid, Interop.waitpid(pid, out int raw, 0));
        return new WaitStatus(raw).ExitCode;
    }
}
