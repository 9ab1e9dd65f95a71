using System.Runtime.InteropServices;
using Rewind.Linux;

namespace Rewind;

public sealed partial class Tracee
{
    /// <summary>
    /// Reads tracee memory with process_vm_readv (one syscall, no stop), falling back to
    /// /proc/PID/mem, which can also read pages the tracee cannot (PROT_NONE).
    /// </summary>
    public int Read(RemotePtr address, Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        unsafe
        {
            fixed (byte* p = buffer)
            {
                var local = new Interop.IoVec { iov_base = (nint)p, iov_len = buffer.Length };
                var remote = new Interop.IoVec { iov_base = (nint)address.Value, iov_len = buffer.Length };
                nint n = Interop.process_vm_readv(Pid, &local, 1, &remote, 1, 0);
                if (n == buffer.Length)
                {
                    return (int)n;
                }
                int done = n > 0 ? (int)n : 0;
                return done + ReadProcMem(address + (ulong)done, buffer[done..]);
            }
        }
    }

    private int ReadProcMem(RemotePtr address, Span<byte> buffer)
    {
        int fd = MemFd();
        int total = 0;
        unsafe
        {
            fixed (byte* p = buffer)
            {
                while (total < buffer.Length)
                {
                    nint n = Interop.pread64(fd, p + total, buffer.Length - total, (long)(address.Value + (ulong)total));
                    if (n <= 0)
                    {
                        break;
                    }
                    total += (int)n;
                }
            }
        }
        return total;
    }

    /// <summary>Reads exactly buffer.Length bytes or throws naming the address.</summary>
    public void ReadExactly(RemotePtr address, Span<byte> buffer)
    {
        if (Read(address, buffer) != buffer.Length)
        {
            throw new RewindException($"cannot read {buffer.Length} bytes of tracee memory at {address}");
        }
    }

    public byte[] ReadBytes(RemotePtr address, int length)
    {
        var bytes = new byte[length];
        ReadExactly(address, bytes);
        return bytes;
    }

    /// <summary>
    /// A NUL-terminated string of at most <paramref name="limit"/> bytes (UTF-8), as far as it is
    /// readable: read to the end of its first page, then on if it goes on. The recorder reads the
    /// path of every syscall that names one, most of them short and within a page.
    /// </summary>
    public string ReadCString(RemotePtr address, int limit = 4096)
    {
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var bytes = rented.AsSpan(0, limit);
            int first = (int)Math.Min((ulong)limit, AddressSpace.PageSize - (address.Value % AddressSpace.PageSize));
            int n = Read(address, bytes[..first]);
            if (n == first && bytes[..n].IndexOf((byte)0) < 0)
            {
                n += Read(address + (ulong)n, bytes[n..]);
            }
            int end = bytes[..n].IndexOf((byte)0);
            return System.Text.Encoding.UTF8.GetString(bytes[..(end < 0 ? n : end)]);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public ulong ReadUInt64(RemotePtr address)
    {
        Span<byte> b = stackalloc byte[8];
        ReadExactly(address, b);
        return BitConverter.ToUInt64(b);
    }

    /// <summary>
    /// Writes tracee memory with process_vm_writev (one copy straight into its pages), and where
    /// the tracee may not write (code, read-only data) through /proc/PID/mem, which like a
    /// debugger's poke may: the kernel breaks copy-on-write for a ptracer (FOLL_FORCE).
    /// </summary>
    public void Write(RemotePtr address, ReadOnlySpan<byte> data)
    {
        int total = WriteWritable(address, data);
        unsafe
        {
            fixed (byte* p = data)
            {
                int fd = total < data.Length ? MemFd() : -1;
                while (total < data.Length)
                {
                    nint n = Interop.pwrite64(fd, p + total, data.Length - total, (long)(address.Value + (ulong)total));
                    if (n <= 0)
                    {
                        throw new RewindException($"cannot write {data.Length} bytes of tracee memory at {address + (ulong)total}");
                    }
                    total += (int)n;
                }
            }
        }
    }

    /// <summary>
    /// Writes tracee memory as the program's own stores would, or not at all: process_vm_writev(2)
    /// alone, which takes no FOLL_FORCE, refuses a page the program may not write (read-only,
    /// PROT_NONE, unmapped) as the kernel's copy_to_user does. Data within one page is written
    /// whole or not at all. Protection keys are the one check it does not make: the kernel checks
    /// them for the thread's own accesses only (arch_vma_access_permitted, foreign access). Returns
    /// whether every byte was written.
    /// </summary>
    public bool WriteAsProgram(RemotePtr address, ReadOnlySpan<byte> data) => WriteWritable(address, data) == data.Length;

    /// <summary>Writes with process_vm_writev from the start up to the first page the program may not write; returns how many bytes it wrote.</summary>
    private int WriteWritable(RemotePtr address, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return 0;
        }
        unsafe
        {
            fixed (byte* p = data)
            {
                var local = new Interop.IoVec { iov_base = (nint)p, iov_len = data.Length };
                var remote = new Interop.IoVec { iov_base = (nint)address.Value, iov_len = data.Length };
                nint n = Interop.process_vm_writev(Pid, &local, 1, &remote, 1, 0);
                return n > 0 ? (int)n : 0;
            }
        }
    }

    private int MemFd()
    {
        if (_memFd < 0)
        {
            _memFd = Interop.open($"/proc/{Pid}/mem", Interop.O_RDWR | Interop.O_CLOEXEC, 0);
            if (_memFd < 0)
            {
                throw Interop.Error($"open(/proc/{Pid}/mem)");
            }
        }
        return _memFd;
    }

    /// <summary>Forgets the cached /proc/PID/mem after an exec replaced the address space.</summary>
    internal void AddressSpaceReplaced()
    {
        if (_memFd >= 0)
        {
            Interop.close(_memFd);
            _memFd = -1;
        }
        _syscallGadget = RemotePtr.Null;
    }

    internal static int LastError => Marshal.GetLastPInvokeError();
}
