using Rewind.Syscalls;

namespace Rewind.Recording;

/// <summary>
/// The output buffers of one syscall that waits in the kernel while other threads run, moved to
/// scratch memory for the call (shared/DESIGN.md §9; rr's record_syscall.cc does the same). The
/// kernel writes a buffer as the call completes, maybe while another thread runs: that thread
/// would see the bytes appear at a moment no event names, and replay writes them at the call's
/// result event. Moved, the kernel writes the scratch copy, and the recorder copies what it wrote
/// into the program's buffers at the syscall-exit stop it handles, where the result is logged.
/// </summary>
internal sealed class OutputRedirect
{
    private readonly ScratchPool _pool;
    private readonly List<(int Arg, ulong Buffer, RemotePtr Scratch, ulong Size)> _moved;
    // Message headers moved (recvmsg's one, recvmmsg's array): their copy names scratch pieces; what goes back keeps the program's pointers.
    private readonly MovedHeaders? _headers;

    private OutputRedirect(ScratchPool pool, List<(int, ulong, RemotePtr, ulong)> moved, MovedHeaders? headers, ulong[] kernelArgs)
    {
        _pool = pool;
        _moved = moved;
        _headers = headers;
        KernelArgs = kernelArgs;
    }

    /// <summary>The offsets of struct msghdr's pointers (msg_name, msg_iov, msg_control), and its size (linux/socket.h).</summary>
    private static readonly int[] HeaderPointers = [0, 16, 32];
    private const int HeaderSize = 56;

    /// <summary>An array of <paramref name="Count"/> message headers, <paramref name="Stride"/> bytes apart, copied to <paramref name="Scratch"/>; <paramref name="Original"/> is the program's.</summary>
    private sealed record MovedHeaders(RemotePtr Scratch, byte[] Original, int Count, int Stride);

    /// <summary>The syscall's arguments as the kernel got them: scratch pointers for the moved buffers.</summary>
    public ulong[] KernelArgs { get; }

    /// <summary>
    /// At the syscall's entry, moves its buffers to pieces of <paramref name="pool"/>, copying those
    /// the kernel reads first; null, and nothing moved, where it has none, they do not fit, or one
    /// cannot be read (the kernel then fails the call on the program's own pointer, as without us).
    /// </summary>
    public static OutputRedirect? Apply(Tracee t, Registers entry, ScratchPool pool)
    {
        var args = entry.Args();
        var moved = new List<(int, ulong, RemotePtr, ulong)>();
        MovedHeaders? headers = null;
        bool all = SyscallTable.MovableOutputs(entry.SyscallNumber, args, t).All(b => Move(t, pool, moved, b.Arg, args[b.Arg], b.Size, b.CopyIn))
            && (SyscallTable.MovableVector(entry.SyscallNumber, args) is not var (vectorArg, count) || MoveVector(t, pool, moved, vectorArg, args[vectorArg], count, out _))
            && (SyscallTable.MovableMessages(entry.SyscallNumber, args) is not var (messageArg, messages, stride) || MoveMessages(t, pool, moved, messageArg, args[messageArg], messages, stride, out headers));
        if (!all || moved.Count == 0)
        {
            moved.ForEach(m => pool.Return(m.Item3));
            return null;
        }
        foreach (var (arg, _, piece, _) in moved.Where(m => m.Item1 != InVector))
        {
            entry.SetArg(arg, piece.Value);
        }
        t.SetRegisters(entry);
        return new OutputRedirect(pool, moved, headers, entry.Args());
    }

    /// <summary>Marks a buffer an iovec names: no register holds its pointer.</summary>
    private const int InVector = -1;

    /// <summary>Lends a piece for <paramref name="size"/> bytes at <paramref name="buffer"/> and notes it in <paramref name="moved"/>; false where none is left or the buffer cannot be read.</summary>
    private static bool Move(Tracee t, ScratchPool pool, List<(int, ulong, RemotePtr, ulong)> moved, int arg, ulong buffer, ulong size, bool copyIn)
    {
        if (pool.Lend(size) is not { } piece)
        {
            return false;
        }
        moved.Add((arg, buffer, piece, size));
        if (!Readable(t, new RemotePtr(buffer), size))
        {
            return false;
        }
        if (copyIn)
        {
            t.Write(piece, t.ReadBytes(new RemotePtr(buffer), (int)size));
        }
        return true;
    }

    /// <summary>
    /// An iovec array the kernel fills in order: a copy of it in scratch names scratch pieces, one
    /// for each buffer. More than UIO_MAXIOV (1024) entries the kernel refuses (readv(2)): not moved.
    /// </summary>
    private static bool MoveVector(Tracee t, ScratchPool pool, List<(int, ulong, RemotePtr, ulong)> moved, int arg, ulong iov, ulong count, out RemotePtr copy)
    {
        copy = RemotePtr.Null;
        if (count == 0)
        {
            return true;
        }
        if (count > IoVectors.Max || !Move(t, pool, moved, arg, iov, count * 16, copyIn: true))
        {
            return false;
        }
        copy = moved[^1].Item3;
        var vector = t.ReadBytes(new RemotePtr(iov), (int)(count * 16));
        for (int i = 0; i < (int)count; i++)
        {
            ulong buffer = BitConverter.ToUInt64(vector, 16 * i), length = BitConverter.ToUInt64(vector, 16 * i + 8);
            if (length == 0)
            {
                continue;
            }
            if (!Move(t, pool, moved, InVector, buffer, length, copyIn: false))
            {
                return false;
            }
            BitConverter.TryWriteBytes(vector.AsSpan(16 * i), moved[^1].Item3.Value);
        }
        t.Write(copy, vector);
        return true;
    }

    /// <summary>
    /// An array of <paramref name="count"/> struct msghdr, <paramref name="stride"/> bytes apart
    /// (recvmsg(2)'s one; recvmmsg(2)'s struct mmsghdr, whose msg_len follows each): a copy in
    /// scratch whose addresses, iovec arrays and control buffers are scratch pieces too. The kernel
    /// reads the copy and writes back its lengths and flags.
    /// </summary>
    private static bool MoveMessages(Tracee t, ScratchPool pool, List<(int, ulong, RemotePtr, ulong)> moved, int arg, ulong array, int count, int stride,
        out MovedHeaders? moves)
    {
        moves = null;
        if (count == 0)
        {
            return true;
        }
        if (!Move(t, pool, moved, arg, array, (ulong)(count * stride), copyIn: false))
        {
            return false;
        }
        var copy = moved[^1].Item3;
        var original = t.ReadBytes(new RemotePtr(array), count * stride);
        var fields = original.ToArray();
        for (int i = 0; i < count; i++)
        {
            if (!MoveMessageBuffers(t, pool, moved, fields.AsSpan(i * stride, HeaderSize)))
            {
                return false;
            }
        }
        t.Write(copy, fields);
        moves = new MovedHeaders(copy, original, count, stride);
        return true;
    }

    /// <summary>Moves the address, iovec array and control buffer one struct msghdr names, and points <paramref name="header"/> at the pieces.</summary>
    private static bool MoveMessageBuffers(Tracee t, ScratchPool pool, List<(int, ulong, RemotePtr, ulong)> moved, Span<byte> header)
    {
        ulong Field(Span<byte> h, int offset) => BitConverter.ToUInt64(h[offset..]);
        ulong name = Field(header, 0), nameLength = Field(header, 8) & 0xffff_ffff, control = Field(header, 32), controlLength = Math.Min(Field(header, 40), 1 << 16);
        if (name != 0 && nameLength != 0)
        {
            if (!Move(t, pool, moved, InVector, name, nameLength, copyIn: false))
            {
                return false;
            }
            BitConverter.TryWriteBytes(header, moved[^1].Item3.Value);
        }
        if (!MoveVector(t, pool, moved, InVector, Field(header, 16), Field(header, 24), out var vector))
        {
            return false;
        }
        if (vector != RemotePtr.Null)
        {
            BitConverter.TryWriteBytes(header[16..], vector.Value);
        }
        if (control != 0 && controlLength != 0)
        {
            if (!Move(t, pool, moved, InVector, control, controlLength, copyIn: false))
            {
                return false;
            }
            BitConverter.TryWriteBytes(header[32..], moved[^1].Item3.Value);
        }
        return true;
    }

    /// <summary>What the kernel wrote into the moved message headers, with the program's pointers in place of the scratch ones.</summary>
    private byte[] KeepHeaderPointers(RemotePtr scratch, byte[] data)
    {
        if (_headers is not { } h || scratch.Value < h.Scratch.Value || scratch.Value >= h.Scratch.Value + (ulong)h.Original.Length)
        {
            return data;
        }
        var kept = data.ToArray();
        int from = (int)(scratch.Value - h.Scratch.Value);
        for (int header = 0; header < h.Count; header++)
        {
            foreach (int field in HeaderPointers)
            {
                for (int i = header * h.Stride + field; i < header * h.Stride + field + 8; i++)
                {
                    if (i >= from && i - from < kept.Length)
                    {
                        kept[i - from] = h.Original[i];
                    }
                }
            }
        }
        return kept;
    }

    private static bool Readable(Tracee t, RemotePtr buffer, ulong size)
    {
        Span<byte> one = stackalloc byte[1];
        return t.Read(buffer, one) == 1 && t.Read(buffer + (size - 1), one) == 1;
    }

    /// <summary>
    /// At the syscall's exit: copies what the kernel wrote into scratch (<paramref name="written"/>,
    /// read at the scratch pointers) into the program's buffers, gives the program its pointers
    /// back in the argument registers (a syscall leaves them as they were), and returns the writes
    /// at the program's addresses, as the log has them. The scratch pieces stay lent until
    /// <see cref="Release"/>: a call that ended with -ERESTART_RESTARTBLOCK may go on in them.
    /// </summary>
    public IReadOnlyList<MemoryWrite> CopyBack(Tracee t, IReadOnlyList<MemoryWrite> written)
    {
        var writes = new List<MemoryWrite>(written.Count);
        foreach (var w in written)
        {
            var into = _moved.Find(m => w.Address.Value >= m.Scratch.Value && w.Address.Value < m.Scratch.Value + m.Size);
            if (into.Size == 0)
            {
                writes.Add(w);
                continue;
            }
            // A capture may run past the piece: a socket address's length is the address's whole
            // size, of which the kernel wrote only what the buffer had room for (move_addr_to_user).
            ulong offset = w.Address.Value - into.Scratch.Value;
            var data = w.Data.Length <= (long)(into.Size - offset) ? w.Data : w.Data[..(int)(into.Size - offset)];
            var at = new MemoryWrite(new RemotePtr(into.Buffer + offset), KeepHeaderPointers(w.Address, data));
            t.Write(at.Address, at.Data);
            writes.Add(at);
        }
        var regs = t.GetRegisters();
        foreach (var (arg, buffer, piece, _) in _moved)
        {
            if (arg != InVector)
            {
                regs.SetArg(arg, buffer);
            }
        }
        t.SetRegisters(regs);
        return writes;
    }

    /// <summary>Gives the scratch pieces back to the pool: the kernel writes there no more.</summary>
    public void Release() => _moved.ForEach(m => _pool.Return(m.Item3));
}
