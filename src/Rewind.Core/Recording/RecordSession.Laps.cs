using Rewind.Replay;

namespace Rewind.Recording;

public sealed partial class RecordSession
{
    // The lap of its loop the thread in hand is single-stepped round before its preemption is logged.
    private LoopLap? _lap;
    // Whether this preemption has gone round its lap already (a lap that does not come back is not tried again).
    private bool _lapTried;

    /// <summary>
    /// At the place a preemption is to be logged, starts stepping the thread round one lap of the
    /// loop it may be in (<see cref="LoopLap"/>); false where it has been tried for this
    /// preemption, or the instruction cannot be stepped plainly.
    /// </summary>
    private bool StartLap(in Registers regs)
    {
        if (_lapTried || PlaceProbe.Decode(_current.Tracee, regs.Pc) is not { } instruction || !StepsPlainly(instruction))
        {
            return false;
        }
        _lapTried = true;
        _lap = new LoopLap(regs);
        StepRound(instruction, regs);
        return true;
    }

    /// <summary>
    /// A step's stop on a lap: back at the place's pc, the preemption is logged there, with the
    /// words the lap wrote where a probe fits the place; a lap too long, or at an instruction not
    /// to be stepped, ends where it is, and the preemption goes on as without it.
    /// </summary>
    private void GoRound(in Registers regs)
    {
        var lap = _lap!;
        if (regs.Pc == lap.Start.Pc)
        {
            _lap = null;
            // Replay compares the words at every lap: only a probe does that at the loop's pace.
            bool probed = PlaceProbe.Decode(_current.Tracee, regs.Pc) is { } here && PlaceProbe.Fits(_current.Tracee, here);
            Preempt(regs, probed ? lap.Words(_current.Tracee) : null);
            return;
        }
        if (lap.Steps < LoopLap.MaxSteps && PlaceProbe.Decode(_current.Tracee, regs.Pc) is { } instruction && StepsPlainly(instruction))
        {
            StepRound(instruction, regs);
            return;
        }
        _lap = null;
        if (!StepTowardsPlace(regs))
        {
            Preempt(regs);
        }
    }

    private void StepRound(in Iced.Intel.Instruction instruction, in Registers regs)
    {
        _lap!.Note(instruction, regs);
        // No interrupt while stepping: the step's stop comes back to the one who stepped.
        _interruptSent = true;
        Go(Resume.Step);
    }
}
