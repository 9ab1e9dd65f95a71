using System.Text;
using Rewind.Linux;
using Rewind.Syscalls;

namespace Rewind;

public sealed partial class Tracee
{
    private const int Nr_chdir = 80, Nr_dup2 = 33;

    /// <summary>
    /// Makes the stopped launcher exec the program itself, by an injected execve with the
    /// argument and environment vectors exactly as given (a shell's exec would reorder and amend
    /// the environment). Optionally changes directory and gives the program /dev/null for its
    /// standard streams first. Returns at the PTRACE_EVENT_EXEC stop.
    /// </summary>
    internal void ExecProgram(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string? workingDirectory, bool detachStdio)
    {
        var block = new ExecBlock(path, argv, environment, workingDirectory);
        long scratch = InjectSyscallChecked("mmap", Nr.mmap, 0, (ulong)block.Size, Interop.PROT_READ | Interop.PROT_WRITE,
            Interop.MAP_PRIVATE | Interop.MAP_ANONYMOUS, ulong.MaxValue, 0);
        var at = new RemotePtr((ulong)scratch);
        Write(at, block.Bytes(at));
        if (workingDirectory != null)
        {
            InjectSyscallChecked($"chdir({workingDirectory})", Nr_chdir, (at + (ulong)block.DirectoryOffset).Value);
        }
        if (detachStdio)
        {
            long fd = InjectSyscallChecked("open(/dev/null)", Nr.open, (at + (ulong)block.DevNullOffset).Value, (ulong)Interop.O_RDWR);
            for (ulong target = 0; target < 3; target++)
            {
                InjectSyscallChecked("dup2", Nr_dup2, (ulong)fd, target);
            }
            InjectSyscallChecked("close", Nr.close, (ulong)fd);
        }

        var regs = GetRegisters();
        regs.Rip = SyscallGadget().Value;
        regs.Rax = Nr.execve;
        regs.OrigRax = ulong.MaxValue;
        regs.Rdi = (at + (ulong)block.PathOffset).Value;
        regs.Rsi = (at + (ulong)block.ArgvOffset).Value;
        regs.Rdx = (at + (ulong)block.EnvpOffset).Value;
        SetRegisters(regs);
        while (true)
        {
            Resume(Rewind.Resume.Syscall);
            var status = Wait();
            if (status.IsEvent(WaitStatus.EventExec))
            {
                return;
            }
            if (!status.Stopped)
            {
                throw new RewindException($"{path}: the program could not be started ({status})");
            }
            if (status.IsSyscallStop && GetSyscallStop() == SyscallStop.Exit && GetRegisters().Rip == regs.Rip + 2)
            {
                long error = -GetRegisters().Result;
                throw new RewindException($"{path}: cannot execute: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage((int)error)}");
            }
        }
    }

    /// <summary>execve's strings and vectors laid out in one block of tracee memory.</summary>
    private sealed class ExecBlock
    {
        private readonly List<byte> _strings = [];
        private readonly List<int> _argv = [], _envp = [];

        public ExecBlock(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string? workingDirectory)
        {
            PathOffset = Add(path);
            DevNullOffset = Add("/dev/null");
            DirectoryOffset = Add(workingDirectory ?? "/");
            _argv.AddRange(argv.Select(Add));
            _envp.AddRange(environment.Select(Add));
            int vectors = (_strings.Count + 7) & ~7;
            ArgvOffset = vectors;
            EnvpOffset = vectors + (_argv.Count + 1) * 8;
            Size = (int)AddressSpace.PageUp((ulong)(EnvpOffset + (_envp.Count + 1) * 8));
        }

        public int PathOffset { get; }

        public int DevNullOffset { get; }

        public int DirectoryOffset { get; }

        public int ArgvOffset { get; }

        public int EnvpOffset { get; }

        public int Size { get; }

        public byte[] Bytes(RemotePtr at)
        {
            var bytes = new byte[Size];
            _strings.CopyTo(bytes);
            for (int i = 0; i < _argv.Count; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(ArgvOffset + i * 8), (at + (ulong)_argv[i]).Value);
            }
            for (int i = 0; i < _envp.Count; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(EnvpOffset + i * 8), (at + (ulong)_envp[i]).Value);
            }
            return bytes;
        }

        private int Add(string s)
        {
            int offset = _strings.Count;
            _strings.AddRange(Encoding.UTF8.GetBytes(s));
            _strings.Add(0);
            return offset;
        }
    }
}
