using Rewind.Symbols.Expressions;

namespace Rewind.Symbols.Unwinding;

/// <summary>
/// Walks the stack with call-frame information (.eh_frame, .debug_frame), falling back to the
/// frame-pointer chain. Registers without a rule keep their value ("same value"), as gdb does.
/// </summary>
internal static class Unwinder
{
    // mov $15, %rax; syscall: glibc's __restore_rt (sysdeps/unix/sysv/linux/x86_64/libc_sigaction.c).
    private static readonly byte[] RestoreRt = [0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05];

    public static IEnumerable<PhysicalFrame> Walk(FrameRegisters registers, IMemoryReader memory, Func<ulong, Module?> moduleAt, int maxFrames)
    {
        var regs = registers.Clone();
        bool exact = true;
        ulong? previousCfa = null;
        PhysicalFrame? callee = null;
        for (int n = 0; n < maxFrames; n++)
        {
            if (regs.Pc is not { } pc || pc == 0)
                yield break;
            ulong lookup = exact ? pc : pc - 1;
            var module = moduleAt(lookup);
            var row = module?.UnwindRowAt(lookup - module.LoadBias);
            bool signal = row?.IsSignalFrame == true || IsRestoreRt(memory, pc);
            ulong? cfa = null;
            FrameRegisters? caller = null;
            if (row is not null && module is not null)
            {
                try
                {
                    (cfa, caller) = Step(row, regs, memory, module.LoadBias);
                }
                catch (InvalidDataException e)
                {
                    module.NoteError($"bad call frame information at 0x{lookup:x}: {e.Message}");
                    if (regs[DwarfRegister.Rbp] is { } fp && fp != 0)
                        (cfa, caller) = FramePointerStep(regs, memory, fp);
                }
            }
            else if (exact && n == 0 && (IsSyscall(memory, pc) || IsSyscall(memory, pc - 2)))
                (cfa, caller) = ReturnAddressOnTop(regs, memory);
            else if (SyscallHookPage.StubReturnsTo(memory, pc) is { } site && regs.Sp is { } stubSp)
                (cfa, caller) = BackToSite(regs, site, stubSp + SyscallHookPage.RedZone);
            else if (regs[DwarfRegister.Rbp] is { } rbp && rbp != 0)
                (cfa, caller) = FramePointerStep(regs, memory, rbp);
            var frame = new PhysicalFrame(regs, cfa, module, signal, exact);
            callee?.Caller = frame;
            callee = frame;
            yield return frame;
            if (caller?.Pc is not { } next || next == 0 || cfa is null)
                yield break;
            // A caller's frame is outer to its callee's: a CFA that does not grow means a loop.
            if (!signal && previousCfa is { } p && cfa <= p)
                yield break;
            previousCfa = cfa;
            exact = signal;
            regs = caller;
        }
    }

    private static bool IsRestoreRt(IMemoryReader memory, ulong pc)
    {
        Span<byte> code = stackalloc byte[RestoreRt.Length];
        return memory.Read(new RemotePtr(pc), code) == code.Length && code.SequenceEqual(RestoreRt);
    }

    private static (ulong?, FrameRegisters?) Step(UnwindRow row, FrameRegisters regs, IMemoryReader memory, ulong bias)
    {
        var context = new FrameContext(regs, memory, bias);
        ulong? cfa = row.Cfa.IsExpression
            ? DwarfExpression.Compute(row.Cfa.Expression.Span, context)
            : regs[row.Cfa.Register] is { } b ? b + (ulong)row.Cfa.Offset : null;
        if (cfa is null)
            return (null, null);
        var withCfa = new FrameContext(regs, memory, bias) { Cfa = cfa };
        var caller = regs.Clone();
        caller.Sp = cfa;
        caller[row.ReturnAddressRegister] = null;
        foreach (var (reg, rule) in row.Registers)
        {
            if (reg >= FrameRegisters.Count)
                continue;
            caller[reg] = rule.Kind switch
            {
                RegisterRuleKind.Undefined => null,
                RegisterRuleKind.SameValue => regs[reg],
                RegisterRuleKind.Offset => FrameContext.Read(memory, cfa.Value + (ulong)rule.Offset, 8),
                RegisterRuleKind.ValueOffset => cfa.Value + (ulong)rule.Offset,
                RegisterRuleKind.Register => regs[rule.Register],
                RegisterRuleKind.Expression => DwarfExpression.Compute(rule.Expression.Span, withCfa, cfa) is { } at ? FrameContext.Read(memory, at, 8) : null,
                RegisterRuleKind.ValueExpression => DwarfExpression.Compute(rule.Expression.Span, withCfa, cfa),
                _ => null,
            };
        }
        if (row.ReturnAddressRegister != DwarfRegister.Rip)
            caller.Pc = caller[row.ReturnAddressRegister];
        return (cfa, caller);
    }

    /// <summary>
    /// A thread stopped at or just after a syscall instruction with no call-frame information
    /// there: glibc's clone and clone3 end their FDE just before the syscall (the child must not
    /// unwind past it), and the parent stops right after it, or a replayed thread waiting to enter
    /// it stands on it. Such a wrapper keeps no frame: the return address is on top of the stack.
    /// </summary>
    private static bool IsSyscall(IMemoryReader memory, ulong pc)
    {
        Span<byte> code = stackalloc byte[2];
        return memory.Read(new RemotePtr(pc), code) == 2 && code[0] == 0x0f && code[1] == 0x05;
    }

    private static (ulong?, FrameRegisters?) ReturnAddressOnTop(FrameRegisters regs, IMemoryReader memory)
    {
        if (regs.Sp is not { } sp)
            return (null, null);
        var caller = regs.Clone();
        caller.Pc = FrameContext.Read(memory, sp, 8);
        caller.Sp = sp + 8;
        return (sp + 8, caller);
    }

    /// <summary>A stub of Rewind's hooked syscalls (<see cref="SyscallHookPage"/>), back from the page: its caller is the patched site's code after its syscall instruction, with the stack pointer it had there.</summary>
    private static (ulong?, FrameRegisters?) BackToSite(FrameRegisters regs, ulong site, ulong sp)
    {
        var caller = regs.Clone();
        caller.Pc = site;
        caller.Sp = sp;
        return (sp, caller);
    }

    private static (ulong?, FrameRegisters?) FramePointerStep(FrameRegisters regs, IMemoryReader memory, ulong rbp)
    {
        var caller = regs.Clone();
        caller[DwarfRegister.Rbp] = FrameContext.Read(memory, rbp, 8);
        caller.Pc = FrameContext.Read(memory, rbp + 8, 8);
        caller.Sp = rbp + 16;
        return (rbp + 16, caller);
    }
}
