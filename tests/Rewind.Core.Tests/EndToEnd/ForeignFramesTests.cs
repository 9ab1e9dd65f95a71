using System.Globalization;
using Rewind.Core.Tests.Cpu;
using Rewind.Cpu;
using Rewind.Hibernation;
using Rewind.Linux;
using Rewind.Replay;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.EndToEnd;

/// <summary>
/// A live handler's frame moved into another CPU's layout and back (<see cref="ForeignFrames"/>),
/// by this kernel. What the handler sees, and what its return restores, are checked by the program
/// itself (tests/programs/core/frames.c). glibc is kept off AVX-512 (its EVEX string functions use
/// ymm16-31), so the state holds x87, SSE and the opmask registers only, which a smaller layout
/// can hold too.
/// </summary>
[Collection("tracer")]
public sealed class ForeignFramesTests(Debuggees programs)
{
    /// <summary>
    /// The Emerald Rapids Xeon's layout (2816 bytes, the opmask state 256 bytes higher than AMD's),
    /// and a Zen 5 without the ZMM components (896 bytes): frames bigger, and smaller, than this CPU's.
    /// </summary>
    public static TheoryData<string> Layouts => new() { "emerald-rapids", "zen5-without-zmm" };

    [Avx512TracerTheory]
    [MemberData(nameof(Layouts))]
    public void A_handler_runs_in_the_recorded_layouts_frame_and_its_return_restores_what_it_set_there(string layout)
    {
        var recorded = Layout(layout);
        var frames = new ForeignFrames(recorded, XsaveLayout.OfSignalFrames(CpuidTable.ThisCpu()));
        string output = Path.Combine(programs.NewScratch(), "out");
        var (exit, handlerSp, expectedSp) = Tracer.Run("a handler in a moved frame", () =>
        {
            using var t = Spawn(recorded, output);
            var status = RunTo(t, Rewind.Resume.Continue, s => s.PtraceEvent == 0 && s.StopSignal == Signal.SIGUSR1);
            var interrupted = t.GetRegisters();
            frames.Delivering(t, interrupted, t.GetSignalInfo());
            t.Resume(Rewind.Resume.Step, Signal.SIGUSR1);
            status = t.Wait();
            Assert.Equal(Signal.SIGTRAP, status.StopSignal);
            var entered = frames.ToRecorded(t, t.GetRegisters());
            RunTo(t, Rewind.Resume.Syscall, s => s.IsSyscallStop && t.GetRegisters().SyscallNumber == Nr.rt_sigreturn);
            var overwritten = frames.ToHere(t, t.GetRegisters());
            Assert.NotNull(overwritten);
            t.Resume(Rewind.Resume.Syscall);
            Assert.True(t.Wait().IsSyscallStop);
            t.Write(overwritten.Value.At, overwritten.Value.Bytes);
            status = RunTo(t, Rewind.Resume.Continue, s => !s.Stopped);
            return (status.ExitCode, entered.Rsp, HandlerFrame.StartBelow(HandlerFrame.BelowRedZone(interrupted.Rsp), recorded.Size));
        });

        Assert.Equal(0, exit);
        Assert.Equal(expectedSp, handlerSp);
        string X(ulong at) => "0x" + at.ToString("x", CultureInfo.InvariantCulture);
        Assert.Equal($"ucontext {X(handlerSp + 8)} info {X(handlerSp + 312)} state {X(handlerSp + HandlerFrame.HeadLength)} size {recorded.Size} k1 5a5a xmm1 1122334455667788\n",
            File.ReadAllText(output));
    }

    /// <summary>
    /// A process frozen inside a handler whose frame the other CPU's kernel built (here: moved into
    /// its layout as replay does), resumed on this CPU (<see cref="FrozenHandlers"/>): the
    /// state is laid out as here before the handler returns, in place where it fits (the Xeon's is
    /// bigger), else in a mapping of its own, which the resume names.
    /// </summary>
    [Avx512TracerTheory]
    [MemberData(nameof(Layouts))]
    public void A_handler_frozen_in_another_layouts_frame_returns_here_with_what_it_set_there(string layout)
    {
        var recorded = Layout(layout);
        var here = XsaveLayout.OfSignalFrames(CpuidTable.ThisCpu());
        var frames = new ForeignFrames(recorded, here);
        string output = Path.Combine(programs.NewScratch(), "out");
        var (exit, note) = Tracer.Run("a handler frozen in another layout's frame", () =>
        {
            using var t = Spawn(recorded, output, "stay");
            RunTo(t, Rewind.Resume.Continue, s => s.PtraceEvent == 0 && s.StopSignal == Signal.SIGUSR1);
            frames.Delivering(t, t.GetRegisters(), t.GetSignalInfo());
            t.Resume(Rewind.Resume.Step, Signal.SIGUSR1);
            Assert.Equal(Signal.SIGTRAP, t.Wait().StopSignal);
            frames.ToRecorded(t, t.GetRegisters());
            // Frozen while the handler spins, as a hibernation finds it.
            t.Resume(Rewind.Resume.Continue);
            Thread.Sleep(50);
            t.Interrupt();
            Assert.True(t.Wait().IsEvent(WaitStatus.EventStop));
            string? note = FrozenHandlers.LayOutHere(t, [t], recorded, here);
            Interop.Check(Interop.kill(t.Tgid, Signal.SIGUSR2), "kill");
            RunTo(t, Rewind.Resume.Continue, s => s.PtraceEvent == 0 && s.StopSignal == Signal.SIGUSR2);
            return (RunTo(t, Rewind.Resume.Continue, s => !s.Stopped, Signal.SIGUSR2).ExitCode, note);
        });

        Assert.Equal(0, exit);
        Assert.Matches($@"^ucontext 0x[0-9a-f]+ info 0x[0-9a-f]+ state 0x[0-9a-f]+ size {recorded.Size} k1 5a5a xmm1 1122334455667788\n$", File.ReadAllText(output));
        Assert.Equal(here.Size > recorded.Size, note?.Contains("in a mapping of its own", StringComparison.Ordinal) ?? false);
    }

    private static XsaveLayout Layout(string name) => XsaveLayout.OfSignalFrames(name == "emerald-rapids" ? CpuidDumps.EmeraldRapids
        : CpuidDumps.Zen5.Without(0xd, 0, CpuidRegister.Eax, 6).Without(0xd, 0, CpuidRegister.Eax, 7));

    /// <summary>frames.c, telling it where <paramref name="recorded"/> keeps the opmask state, its output in <paramref name="output"/>; stopped before it runs.</summary>
    private Tracee Spawn(XsaveLayout recorded, string output, string stay = "") =>
        Tracee.SpawnShellStopped($"kill -STOP $$; exec '{programs.Frames}' {recorded.Components[5].Offset} {stay} > '{output}'", [],
            [.. Tracer.Environment, "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD"], 0, inheritedMask: false);

    /// <summary>Resumes <paramref name="t"/> as <paramref name="how"/>, passing on <paramref name="signal"/> the first time and no signal after, until a stop <paramref name="wanted"/> says is the one.</summary>
    private static WaitStatus RunTo(Tracee t, Rewind.Resume how, Func<WaitStatus, bool> wanted, int signal = 0)
    {
        while (true)
        {
            t.Resume(how, signal);
            signal = 0;
            var status = t.Wait();
            if (wanted(status))
            {
                return status;
            }
            Assert.True(status.Stopped, $"the program ended early: {status}");
        }
    }
}

/// <summary>A theory that needs ptrace and gcc (<see cref="TracerFactAttribute"/>), and AVX-512F (the opmask registers).</summary>
public sealed class Avx512TracerTheoryAttribute : TheoryAttribute
{
    public Avx512TracerTheoryAttribute()
    {
        if (Tracer.Unavailable is { } reason)
            Skip = reason;
        else if ((CpuidTable.ThisCpu().Answer(7, 0).Ebx & (1u << 16)) == 0)
            Skip = "this CPU has no AVX-512F: no opmask registers to save";
    }
}
