using System.Buffers.Binary;
using Rewind.Cpu;

namespace Rewind.Linux;

/// <summary>
/// A signal handler's frame where the kernel builds it on x86-64 (get_sigframe,
/// arch/x86/kernel/signal.c): below a top, which is the interrupted stack pointer less the
/// 128-byte red zone or, where the handler switches to it, the alternate stack's top, comes the
/// FPU/vector state in XSAVE's standard format (the kernel describes it in the software bytes of
/// its legacy region and puts a second magic word after it), 64-byte aligned; below that the head:
/// pretcode, ucontext and siginfo, where the handler starts. The state's size is the CPU's, so on
/// another CPU the same handler starts at another stack pointer.
/// </summary>
/// <param name="State">The saved state, laid out as the <see cref="XsaveLayout"/> it was read by.</param>
internal sealed record HandlerFrame(RemotePtr At, byte[] Head, byte[] State)
{
    /// <summary>From the frame's start to its state: pretcode (8), ucontext (304) and siginfo (128), rounded down to 16 bytes, less 8 as at a function's entry.</summary>
    public const int HeadLength = 456;

    private const ulong RedZone = 128;

    /// <summary>How far above a stack pointer <see cref="Above"/> looks for frames: 1 MiB.</summary>
    private const ulong ScanLength = 1 << 20;

    /// <summary>
    /// The head's bytes the kernel writes (x86_64_setup_rt_frame): pretcode, uc_flags, uc_link,
    /// uc_stack but the padding after ss_flags, the sigcontext but its reserved words, and
    /// uc_sigmask; the siginfo after them for a handler that takes one. The rest, and the 16 bytes
    /// between siginfo and the state, keep what the stack held.
    /// </summary>
    private static readonly (int From, int To)[] Written = [(0, 36), (SignalFrame.AltStackSizeAt, SignalFrame.StateAddressAt + 8), (SignalFrame.MaskAt, SignalFrame.InfoAt)];
    private static readonly (int From, int To) Info = (SignalFrame.InfoAt, SignalFrame.InfoEnd);
    private const int KernelInfoLength = 48;

    /// <summary>
    /// struct _fpx_sw_bytes in the legacy region's last 48 bytes: magic1, extended_size (the state
    /// with the second magic word), xfeatures, xstate_size; FP_XSTATE_MAGIC1 and MAGIC2.
    /// </summary>
    private const int SoftwareBytesAt = 464, SoftwareBytesLength = 48, Magic2Size = 4;
    private const uint Magic1 = 0x46505853, Magic2 = 0x46505845;

    /// <summary>The state's address, as the head's sigcontext gives it to rt_sigreturn.</summary>
    public ulong StateAt => Word(SignalFrame.StateAddressAt);

    /// <summary>Where the state and its second magic word end.</summary>
    public ulong StateEnd => StateAt + (ulong)(State.Length + Magic2Size);

    /// <summary>
    /// Where the kernel started the frame down from: the alternate stack's top where the frame lies
    /// on it and the interrupted stack (below its red zone) did not, else below the red zone.
    /// </summary>
    public ulong Top
    {
        get
        {
            ulong altStack = Word(SignalFrame.AltStackAt), altStackSize = Word(SignalFrame.AltStackSizeAt), below = BelowRedZone(Word(SignalFrame.InterruptedSpAt));
            // __on_sig_stack: above the base, at most the size above it.
            bool OnAltStack(ulong sp) => sp > altStack && sp - altStack <= altStackSize;
            return OnAltStack(At.Value) && !OnAltStack(below) ? altStack + altStackSize : below;
        }
    }

    /// <summary>Where the kernel puts a state of <paramref name="size"/> bytes below <paramref name="top"/> (fpu__alloc_mathframe); its frame starts <see cref="HeadLength"/> below.</summary>
    public static ulong StateBelow(ulong top, int size) => (top - (ulong)size - Magic2Size) & ~63ul;

    /// <summary>Where a frame whose state of <paramref name="size"/> bytes lies below <paramref name="top"/> starts.</summary>
    public static ulong StartBelow(ulong top, int size) => StateBelow(top, size) - HeadLength;

    /// <summary>The interrupted stack pointer <paramref name="sp"/>'s red zone's bottom: where a frame starts down from unless the handler switches stacks.</summary>
    public static ulong BelowRedZone(ulong sp) => sp - RedZone;

    /// <summary>
    /// The frame at <paramref name="at"/>, its state laid out as <paramref name="layout"/>; null
    /// where the state's software bytes describe another layout's size, or none.
    /// </summary>
    public static HandlerFrame? Read(Tracee t, RemotePtr at, XsaveLayout layout)
    {
        var head = new byte[HeadLength];
        if (t.Read(at, head) < HeadLength)
        {
            return null;
        }
        var state = new byte[layout.Size + Magic2Size];
        ulong stateAt = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(SignalFrame.StateAddressAt));
        if (t.Read(new RemotePtr(stateAt), state) < state.Length || !IsLaidOutAs(state, layout))
        {
            return null;
        }
        return new HandlerFrame(at, head, state[..layout.Size]);
    }

    /// <summary>
    /// Lays this frame into <paramref name="window"/>, the memory from <paramref name="windowStart"/>
    /// on: its state at <paramref name="stateAt"/>, <paramref name="laidOut"/> being the state laid
    /// out as <paramref name="layout"/>, which its software bytes describe as the kernel would; and
    /// below it the head's fields the kernel writes (the siginfo only <paramref name="withInfo"/>,
    /// for a handler that takes one), the others as the window has them. Returns the frame's start.
    /// </summary>
    public ulong LayInto(Span<byte> window, ulong windowStart, ulong stateAt, XsaveLayout layout, byte[] laidOut, bool withInfo)
    {
        ulong start = stateAt - HeadLength;
        var head = window.Slice((int)(start - windowStart), HeadLength);
        foreach (var (from, to) in withInfo ? [.. Written, Info] : Written)
        {
            Head.AsSpan(from..to).CopyTo(head[from..]);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(head[SignalFrame.StateAddressAt..], stateAt);
        Describe(window.Slice((int)(stateAt - windowStart), layout.Size + Magic2Size), layout, laidOut);
        return start;
    }

    /// <summary>
    /// Writes this frame's state, <paramref name="laidOut"/> in <paramref name="layout"/>, at
    /// <paramref name="stateAt"/>, and points the frame's sigcontext at it there: in place, where
    /// it fits in the state's room, or anywhere else (64-byte aligned) the process may write.
    /// </summary>
    public void WriteState(Tracee t, ulong stateAt, XsaveLayout layout, byte[] laidOut)
    {
        var state = new byte[layout.Size + Magic2Size];
        Describe(state, layout, laidOut);
        t.Write(new RemotePtr(stateAt), state);
        Span<byte> pointer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(pointer, stateAt);
        t.Write(At + SignalFrame.StateAddressAt, pointer);
    }

    /// <summary>
    /// The frames of signal handlers a thread stopped at <paramref name="sp"/> is inside, their
    /// state laid out as <paramref name="layout"/>, found on its stack above the stack pointer, and
    /// on the stacks the handlers interrupted, up from where each was interrupted: a state whose
    /// software bytes and second magic word say <paramref name="layout"/>'s size, 64-byte aligned,
    /// with a head below it whose sigcontext points at it. A handler that ended popped its frame.
    /// </summary>
    public static List<HandlerFrame> Above(Tracee t, ulong sp, XsaveLayout layout)
    {
        var frames = new List<HandlerFrame>();
        var regions = AddressSpace.Read(t.Tgid).Regions;
        var scanned = new HashSet<ulong>();
        for (ulong from = sp; scanned.Add(from) && regions.FirstOrDefault(r => r.Contains(new RemotePtr(from))) is { } region;)
        {
            // A handler's frame lies within its own stack use above the stack pointer: a thread's
            // stack inside a bigger mapping (a runtime's) is not read to its end.
            ulong end = Math.Min(region.End.Value, from + ScanLength);
            var stack = t.ReadBytes(new RemotePtr(from), (int)(end - from));
            ulong next = 0;
            for (ulong state = (from + HeadLength + 63) & ~63ul; state + (ulong)layout.Size + Magic2Size <= end; state += 64)
            {
                var at = stack.AsSpan((int)(state - from));
                if (IsLaidOutAs(at, layout)
                    && BinaryPrimitives.ReadUInt64LittleEndian(stack.AsSpan((int)(state - HeadLength - from) + SignalFrame.StateAddressAt)) == state)
                {
                    var frame = new HandlerFrame(new RemotePtr(state - HeadLength), stack[(int)(state - HeadLength - from)..(int)(state - from)], at[..layout.Size].ToArray());
                    frames.Add(frame);
                    ulong interrupted = frame.Word(SignalFrame.InterruptedSpAt);
                    next = region.Contains(new RemotePtr(interrupted)) ? next : interrupted;
                }
            }
            if (next == 0)
            {
                break;
            }
            from = next;
        }
        return frames;
    }

    /// <summary>Whether <paramref name="state"/> is a state laid out as <paramref name="layout"/>, as its software bytes and the second magic word after it say.</summary>
    private static bool IsLaidOutAs(ReadOnlySpan<byte> state, XsaveLayout layout) =>
        BinaryPrimitives.ReadUInt32LittleEndian(state[SoftwareBytesAt..]) == Magic1
        && BinaryPrimitives.ReadUInt32LittleEndian(state[(SoftwareBytesAt + 16)..]) == layout.Size
        && BinaryPrimitives.ReadUInt32LittleEndian(state[layout.Size..]) == Magic2;

    /// <summary><paramref name="state"/>: <paramref name="laidOut"/> in <paramref name="layout"/>, with the software bytes the kernel writes for it and the second magic word after it.</summary>
    private static void Describe(Span<byte> state, XsaveLayout layout, byte[] laidOut)
    {
        laidOut.AsSpan(0, layout.Size).CopyTo(state);
        var software = state.Slice(SoftwareBytesAt, SoftwareBytesLength);
        software.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(software, Magic1);
        BinaryPrimitives.WriteUInt32LittleEndian(software[4..], (uint)(layout.Size + Magic2Size));
        BinaryPrimitives.WriteUInt64LittleEndian(software[8..], layout.Features);
        BinaryPrimitives.WriteUInt32LittleEndian(software[16..], (uint)layout.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(state[layout.Size..], Magic2);
    }

    /// <summary>
    /// Whether the head holds <paramref name="sigInfo"/> as the kernel writes it (the 48 bytes of
    /// its kernel_siginfo, then zeros): the handler takes a siginfo (SA_SIGINFO), or the kernel
    /// would have left those bytes as they were.
    /// </summary>
    public bool HoldsInfo(byte[] sigInfo) =>
        Head.AsSpan(Info.From, KernelInfoLength).SequenceEqual(sigInfo.AsSpan(0, KernelInfoLength))
        && !Head.AsSpan(Info.From + KernelInfoLength, Info.To - Info.From - KernelInfoLength).ContainsAnyExcept((byte)0);

    private ulong Word(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Head.AsSpan(at));
}
