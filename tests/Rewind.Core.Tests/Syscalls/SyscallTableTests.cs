using System.Buffers.Binary;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

public sealed class SyscallTableTests
{
    private static IEnumerable<SyscallSpec> AllSpecs() =>
        Enumerable.Range(0, 1024).Select(SyscallTable.Find).OfType<SyscallSpec>();

    [Fact]
    public void Untraced_syscalls_are_executed_again_in_replay_but_the_cpuid_switch()
    {
        foreach (int nr in SyscallTable.Untraced)
        {
            var spec = SyscallTable.Find(nr);
            Assert.NotNull(spec);
            // arch_prctl stops only for ARCH_GET_CPUID and ARCH_SET_CPUID, which replay must not run: its own trap would go.
            Assert.Equal(nr == Nr.arch_prctl ? ReplayKind.Emulated : ReplayKind.Executed, spec.Replay);
            Assert.Equal(nr, spec.Number);
            Assert.Null(spec.Outputs);
        }
        Assert.Equal(SyscallTable.Untraced.Count, SyscallTable.Untraced.Distinct().Count());
    }

    [Fact]
    public void Names_are_unique_and_numbers_match()
    {
        var specs = AllSpecs().ToList();
        Assert.True(specs.Count > 250, $"only {specs.Count} syscalls known");
        Assert.All(specs, s => Assert.Equal(s, SyscallTable.Find(s.Number)));
        var duplicates = specs.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(s => s.Number))}");
        Assert.Empty(duplicates);
        Assert.All(specs, s => Assert.Equal(s.Name, SyscallTable.Name(s.Number)));
    }

    [Theory]
    [InlineData(Nr.read, "read")]
    [InlineData(Nr.write, "write")]
    [InlineData(Nr.mmap, "mmap")]
    [InlineData(257, "openat")]
    [InlineData(Nr.clone3, "clone3")]
    [InlineData(Nr.exit_group, "exit_group")]
    public void Well_known_numbers_have_their_names(int nr, string name) => Assert.Equal(name, SyscallTable.Name(nr));

    [Theory]
    [InlineData(Nr.mmap, ReplayKind.Mmap)]
    [InlineData(Nr.brk, ReplayKind.Brk)]
    [InlineData(Nr.mremap, ReplayKind.Mremap)]
    [InlineData(Nr.exit, ReplayKind.Executed)]
    [InlineData(Nr.exit_group, ReplayKind.Executed)]
    [InlineData(Nr.read, ReplayKind.Emulated)]
    [InlineData(257, ReplayKind.Emulated)]
    [InlineData(101, ReplayKind.Emulated)] // ptrace
    [InlineData(154, ReplayKind.Executed)] // modify_ldt
    [InlineData(278, ReplayKind.Unsupported)] // vmsplice
    [InlineData(Nr.shmat, ReplayKind.Mmap)]
    [InlineData(Nr.shmdt, ReplayKind.Detach)]
    [InlineData(29, ReplayKind.Emulated)] // shmget
    [InlineData(31, ReplayKind.Emulated)] // shmctl
    [InlineData(462, ReplayKind.Executed)] // mseal: later mprotect and munmap run again in replay
    [InlineData(335, ReplayKind.Executed)] // uretprobe: its SIGILL comes again
    public void Replay_kinds(int nr, ReplayKind kind) => Assert.Equal(kind, SyscallTable.Find(nr)!.Replay);

    [Theory]
    [InlineData(426)] // io_uring_enter
    [InlineData(209)] // io_submit
    [InlineData(323)] // userfaultfd
    public void Facilities_rewind_cannot_record_are_withheld_with_a_reason(int nr) =>
        Assert.False(string.IsNullOrEmpty(SyscallTable.Find(nr)!.Withheld));

    [Fact]
    public void Ptrace_outputs_follow_the_request()
    {
        byte[] iovec = new byte[64];
        BitConverter.TryWriteBytes(iovec, 0x2000UL);
        BitConverter.TryWriteBytes(iovec.AsSpan(8), 512UL);
        var memory = new FakeMemory().Map(0x1000, iovec).Map(0x2000, 4096, 1);
        // PTRACE_PEEKDATA's word; PTRACE_GETREGSET's iovec and the buffer it names, as long as it says.
        Assert.Equal([(0x1000UL, 8)], Capture(101, memory, 0, 2, 1234, 0x5000, 0x1000).Select(w => (w.Address.Value, w.Data.Length)));
        Assert.Equal([(0x1000UL, 16), (0x2000UL, 512)], Capture(101, memory, 0, 0x4204, 1234, 2, 0x1000).Select(w => (w.Address.Value, w.Data.Length)));
        Assert.Empty(Capture(101, memory, -3, 2, 1234, 0x5000, 0x1000));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(-1)]
    [InlineData(4096)]
    [InlineData(0x40000001)] // x32 write
    [InlineData(int.MinValue)]
    public void Unknown_numbers_are_not_found(int nr)
    {
        Assert.Null(SyscallTable.Find(nr));
        Assert.Equal($"syscall_{nr}", SyscallTable.Name(nr));
    }

    private static IReadOnlyList<MemoryWrite> Capture(int nr, IMemoryReader memory, long result, params ulong[] args)
    {
        var full = new ulong[6];
        args.CopyTo(full, 0);
        var capture = new OutputCapture(memory, full, result);
        SyscallTable.Find(nr)!.Outputs!(capture);
        return capture.Writes;
    }

    private static void AssertWrite(FakeMemory memory, MemoryWrite write, ulong address, int length)
    {
        Assert.Equal(new RemotePtr(address), write.Address);
        Assert.Equal(memory.Bytes(address, length), write.Data);
    }

    [Fact]
    public void Read_captures_as_many_bytes_as_it_returned()
    {
        var memory = new FakeMemory().Map(0x10000, 4096, 1);
        var writes = Capture(Nr.read, memory, 100, 3, 0x10000, 4096);
        AssertWrite(memory, Assert.Single(writes), 0x10000, 100);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-11L)] // EAGAIN
    [InlineData(-4095L)]
    public void Read_that_returned_nothing_captures_nothing(long result) =>
        Assert.Empty(Capture(Nr.read, new FakeMemory().Map(0x10000, 4096, 1), result, 3, 0x10000, 4096));

    private static byte[] IoVecs(params (ulong Base, ulong Length)[] vecs)
    {
        var bytes = new byte[vecs.Length * 16];
        for (int i = 0; i < vecs.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16), vecs[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 16 + 8), vecs[i].Length);
        }
        return bytes;
    }

    [Fact]
    public void Readv_scatters_the_result_across_its_iovecs_in_order()
    {
        var memory = new FakeMemory()
            .Map(0x20000, IoVecs((0x30000, 10), (0x31000, 20), (0x32000, 30)))
            .Map(0x30000, 64, 1).Map(0x31000, 64, 2).Map(0x32000, 64, 3);
        var writes = Capture(19, memory, 45, 3, 0x20000, 3);
        Assert.Equal(3, writes.Count);
        AssertWrite(memory, writes[0], 0x30000, 10);
        AssertWrite(memory, writes[1], 0x31000, 20);
        AssertWrite(memory, writes[2], 0x32000, 15); // 45 = 10 + 20 + 15: the last one only partly filled
    }

    [Fact]
    public void Readv_of_fewer_bytes_than_the_first_iovec_stops_there()
    {
        var memory = new FakeMemory().Map(0x20000, IoVecs((0x30000, 10), (0x31000, 20))).Map(0x30000, 64, 1).Map(0x31000, 64, 2);
        AssertWrite(memory, Assert.Single(Capture(19, memory, 4, 3, 0x20000, 2)), 0x30000, 4);
    }

    [Fact]
    public void Recvmsg_captures_the_header_name_data_and_control()
    {
        // struct msghdr: name, namelen (u32), iov, iovlen, control, controllen, flags.
        var header = new byte[56];
        BinaryPrimitives.WriteUInt64LittleEndian(header, 0x50000);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 16);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), 0x51000);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), 2);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), 0x52000);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), 24);
        var memory = new FakeMemory()
            .Map(0x40000, header)
            .Map(0x50000, 128, 1)
            .Map(0x51000, IoVecs((0x53000, 8), (0x54000, 100)))
            .Map(0x52000, 64, 2).Map(0x53000, 64, 3).Map(0x54000, 128, 4);

        var writes = Capture(47, memory, 50, 5, 0x40000, 0);

        Assert.Equal(5, writes.Count);
        AssertWrite(memory, writes[0], 0x40000, 56);
        AssertWrite(memory, writes[1], 0x50000, 16);
        AssertWrite(memory, writes[2], 0x53000, 8);
        AssertWrite(memory, writes[3], 0x54000, 42);
        AssertWrite(memory, writes[4], 0x52000, 24);
    }

    [Fact]
    public void Statmount_captures_as_many_bytes_as_its_size_field_says()
    {
        // struct statmount begins with its size, the strings after the struct included.
        var buffer = new byte[4096];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, 530);
        var memory = new FakeMemory().Map(0x70000, buffer);
        AssertWrite(memory, Assert.Single(Capture(457, memory, 0, 0x60000, 0x70000, 4096)), 0x70000, 530);
        // Never past the buffer the program gave; nothing when the call failed.
        AssertWrite(memory, Assert.Single(Capture(457, memory, 0, 0x60000, 0x70000, 512)), 0x70000, 512);
        Assert.Empty(Capture(457, memory, -75, 0x60000, 0x70000, 512));
    }

    [Fact]
    public void Getxattrat_captures_the_value_its_struct_points_to()
    {
        // struct xattr_args: value pointer, size, flags.
        var args = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(args, 0x81000);
        BinaryPrimitives.WriteUInt32LittleEndian(args.AsSpan(8), 64);
        var memory = new FakeMemory().Map(0x80000, args).Map(0x81000, 64, 5);
        AssertWrite(memory, Assert.Single(Capture(464, memory, 7, unchecked((ulong)-100), 0x90000, 0, 0x91000, 0x80000, 16)), 0x81000, 7);
    }

    [Fact]
    public void Lsm_get_self_attr_captures_the_size_word_and_the_contexts_it_counts()
    {
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, 48);
        var memory = new FakeMemory().Map(0xa0000, 256, 6).Map(0xa1000, size);
        var writes = Capture(459, memory, 1, 100, 0xa0000, 0xa1000, 0);
        Assert.Equal([(0xa1000UL, 4), (0xa0000UL, 48)], writes.Select(w => (w.Address.Value, w.Data.Length)));
        // E2BIG: the size needed is written, the contexts are not.
        AssertWrite(memory, Assert.Single(Capture(459, memory, -7, 100, 0xa0000, 0xa1000, 0)), 0xa1000, 4);
    }

    [Theory]
    [InlineData(0x5401U, 36)] // TCGETS: the kernel's struct termios
    [InlineData(0x5413U, 8)] // TIOCGWINSZ
    [InlineData(0x540FU, 4)] // TIOCGPGRP
    [InlineData(0x541BU, 4)] // FIONREAD, SIOCINQ
    [InlineData(0x5411U, 4)] // TIOCOUTQ, SIOCOUTQ
    [InlineData(0x8910U, 40)] // SIOCGIFNAME: struct ifreq
    [InlineData(0x8913U, 40)] // SIOCGIFFLAGS
    [InlineData(0x8921U, 40)] // SIOCGIFMTU
    [InlineData(0x8927U, 40)] // SIOCGIFHWADDR
    [InlineData(0x8933U, 40)] // SIOCGIFINDEX
    [InlineData(0x8906U, 16)] // SIOCGSTAMP: struct timeval
    [InlineData(0x8954U, 68)] // SIOCGARP: struct arpreq
    [InlineData(0x0002U, 4)] // FIGETBSZ
    [InlineData(0x1260U, 8)] // BLKGETSIZE
    [InlineData(0x0301U, 16)] // HDIO_GETGEO
    public void Ioctl_requests_older_than_the_size_encoding_capture_their_struct(uint request, int size)
    {
        var memory = new FakeMemory().Map(0x60000, 128, 1);
        AssertWrite(memory, Assert.Single(Capture(16, memory, 0, 3, request, 0x60000)), 0x60000, size);
    }

    [Fact]
    public void Siocgifconf_captures_its_struct_and_as_much_of_its_buffer_as_it_filled()
    {
        // struct ifconf: ifc_len (80 filled), then ifc_buf.
        var ifconf = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(ifconf, 80);
        BinaryPrimitives.WriteUInt64LittleEndian(ifconf.AsSpan(8), 0x61000);
        var memory = new FakeMemory().Map(0x60000, ifconf).Map(0x61000, 4096, 2);
        Assert.Equal([(0x60000UL, 16), (0x61000UL, 80)], Capture(16, memory, 0, 3, 0x8912, 0x60000).Select(w => (w.Address.Value, w.Data.Length)));
        // With no buffer the kernel writes the length it needs; a failed call, nothing.
        BinaryPrimitives.WriteUInt64LittleEndian(ifconf.AsSpan(8), 0);
        Assert.Equal([(0x60000UL, 16)], Capture(16, memory, 0, 3, 0x8912, 0x60000).Select(w => (w.Address.Value, w.Data.Length)));
        Assert.Empty(Capture(16, memory, -14, 3, 0x8912, 0x60000));
    }

    [Theory]
    [InlineData(2U, 4U, 2)] // two of four extents filled
    [InlineData(9U, 4U, 4)] // no more than there was room for
    [InlineData(5U, 0U, 0)] // fm_extent_count 0: the kernel only counts them
    public void Fiemap_captures_its_header_and_the_extents_it_filled(uint mapped, uint room, int extents)
    {
        // struct fiemap: fm_mapped_extents at 20, fm_extent_count at 24, 56-byte extents after its 32.
        var map = new byte[32 + 8 * 56];
        BinaryPrimitives.WriteUInt32LittleEndian(map.AsSpan(20), mapped);
        BinaryPrimitives.WriteUInt32LittleEndian(map.AsSpan(24), room);
        var memory = new FakeMemory().Map(0x60000, map);
        var writes = Capture(16, memory, 0, 3, 0xC020660B, 0x60000).Select(w => (w.Address.Value, w.Data.Length)).ToList();
        Assert.Equal([(0x60000UL, 32), .. extents > 0 ? [(0x60020UL, extents * 56)] : Array.Empty<(ulong, int)>()], writes);
    }

    [Theory]
    [InlineData(37UL, 0UL, 1, 4)] // PR_GET_CHILD_SUBREAPER
    [InlineData(2UL, 0UL, 1, 4)] // PR_GET_PDEATHSIG
    [InlineData(16UL, 0UL, 1, 16)] // PR_GET_NAME
    [InlineData(40UL, 0UL, 1, 8)] // PR_GET_TID_ADDRESS
    [InlineData(35UL, 15UL, 2, 4)] // PR_SET_MM, PR_SET_MM_MAP_SIZE
    [InlineData(62UL, 0UL, 4, 8)] // PR_SCHED_CORE, PR_SCHED_CORE_GET: the cookie at the fifth argument
    public void Prctl_options_that_answer_through_a_pointer_capture_it(ulong option, ulong second, int pointerArg, int size)
    {
        var memory = new FakeMemory().Map(0x70000, 64, 1);
        var args = new ulong[] { option, second, 0, 0, 0 };
        args[pointerArg] = 0x70000;
        AssertWrite(memory, Assert.Single(Capture(157, memory, 0, args)), 0x70000, size);
    }

    [Theory]
    [InlineData(3UL, 0UL)] // PR_GET_DUMPABLE: the result is the answer
    [InlineData(46UL, 0UL)] // PR_GET_FP_MODE
    [InlineData(35UL, 7UL)] // PR_SET_MM, PR_SET_MM_BRK: the kernel only reads
    [InlineData(62UL, 1UL)] // PR_SCHED_CORE, PR_SCHED_CORE_CREATE
    public void Prctl_options_answering_in_the_result_capture_nothing(ulong option, ulong second) =>
        Assert.Empty(Capture(157, new FakeMemory().Map(0x70000, 64, 1), 0, option, second, 0x70000, 0x70000, 0x70000));

    [Fact]
    public void Prctl_get_auxv_captures_what_fitted_of_the_whole_vector()
    {
        var memory = new FakeMemory().Map(0x70000, 512, 1);
        AssertWrite(memory, Assert.Single(Capture(157, memory, 448, 0x41555856, 0x70000, 32)), 0x70000, 32);
        AssertWrite(memory, Assert.Single(Capture(157, memory, 448, 0x41555856, 0x70000, 512)), 0x70000, 448);
    }

    [Theory]
    [InlineData(0x19980330U, 12)] // _LINUX_CAPABILITY_VERSION_1: one struct
    [InlineData(0x20080522U, 24)] // _LINUX_CAPABILITY_VERSION_3: two
    public void Capget_captures_the_header_and_the_structs_of_its_version(uint version, int size)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, version);
        var memory = new FakeMemory().Map(0x70000, header).Map(0x71000, 64, 1);
        Assert.Equal([(0x70000UL, 4), (0x71000UL, size)], Capture(125, memory, 0, 0x70000, 0x71000).Select(w => (w.Address.Value, w.Data.Length)));
        // A version probe (no data) and a refused version: the kernel's version in the header alone.
        Assert.Equal([(0x70000UL, 4)], Capture(125, memory, 0, 0x70000, 0).Select(w => (w.Address.Value, w.Data.Length)));
        Assert.Equal([(0x70000UL, 4)], Capture(125, memory, -22, 0x70000, 0x71000).Select(w => (w.Address.Value, w.Data.Length)));
    }

    [Fact]
    public void Wait4_captures_the_status_and_usage_only_when_it_found_a_child()
    {
        var memory = new FakeMemory().Map(0x70000, 4096, 1);
        Assert.Equal([(0x70000UL, 4), (0x70100UL, 144)], Capture(Nr.wait4, memory, 1234, unchecked((ulong)-1), 0x70000, 0, 0x70100).Select(w => (w.Address.Value, w.Data.Length)));
        // WNOHANG with no child to report: the kernel writes nothing.
        Assert.Empty(Capture(Nr.wait4, memory, 0, unchecked((ulong)-1), 0x70000, 1, 0x70100));
    }

    [Fact]
    public void Clone_with_clone_pidfd_captures_the_pidfd_at_parent_tid()
    {
        var memory = new FakeMemory().Map(0x70000, 64, 1);
        // CLONE_PIDFD | CLONE_VFORK | SIGCHLD: a process, its pidfd stored at parent_tid.
        AssertWrite(memory, Assert.Single(Capture(Nr.clone, memory, 1234, 0x1000 | 0x4000 | 17, 0x7f0000, 0x70000, 0, 0)), 0x70000, 4);
    }

    [Fact]
    public void Ioctl_with_an_IOR_request_captures_the_size_it_encodes()
    {
        // TCGETS2 = _IOR('T', 0x2A, struct termios2): direction read, size 44.
        var memory = new FakeMemory().Map(0x60000, 64, 1);
        AssertWrite(memory, Assert.Single(Capture(16, memory, 0, 0, 0x802C542A, 0x60000)), 0x60000, 44);
        // _IOWR too: both directions.
        AssertWrite(memory, Assert.Single(Capture(16, memory, 0, 0, 0xC008AA01, 0x60000)), 0x60000, 8);
    }

    [Theory]
    [InlineData(0x402C542BUL)] // TCSETS2 = _IOW: the kernel only reads
    [InlineData(0x5402UL)] // TCSETS
    [InlineData(0x5421UL)] // FIONBIO
    public void Ioctl_that_only_reads_captures_nothing(ulong request) =>
        Assert.Empty(Capture(16, new FakeMemory().Map(0x60000, 64, 1), 0, 0, request, 0x60000));

    [Theory]
    [InlineData(2UL, 112)] // IPC_STAT: struct shmid64_ds
    [InlineData(0x102UL, 112)] // IPC_STAT | IPC_64
    [InlineData(13UL, 112)] // SHM_STAT
    [InlineData(15UL, 112)] // SHM_STAT_ANY
    [InlineData(3UL, 72)] // IPC_INFO: struct shminfo64
    [InlineData(14UL, 48)] // SHM_INFO: struct shm_info
    public void Shmctl_captures_the_struct_its_command_fills(ulong command, int size)
    {
        var memory = new FakeMemory().Map(0x70000, 4096, 1);
        AssertWrite(memory, Assert.Single(Capture(31, memory, 0, 7, command, 0x70000)), 0x70000, size);
    }

    [Theory]
    [InlineData(0UL)] // IPC_RMID
    [InlineData(1UL)] // IPC_SET: the kernel only reads
    [InlineData(11UL)] // SHM_LOCK
    [InlineData(12UL)] // SHM_UNLOCK
    public void Shmctl_commands_that_write_nothing_capture_nothing(ulong command) =>
        Assert.Empty(Capture(31, new FakeMemory().Map(0x70000, 4096, 1), 0, 7, command, 0x70000));

    [Theory]
    [InlineData(Nr.wait4, 0UL, true)]
    [InlineData(Nr.nanosleep, 0UL, true)] // restart_syscall keeps its deadline
    [InlineData(Nr.futex, 0x80UL, true)] // FUTEX_WAIT | FUTEX_PRIVATE_FLAG
    [InlineData(Nr.futex, 0x89UL, true)] // FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG
    [InlineData(Nr.futex, 0x81UL, false)] // FUTEX_WAKE waits for nothing
    [InlineData(Nr.futex, 0x86UL, false)] // FUTEX_LOCK_PI: not checked
    [InlineData(Nr.fcntl, 7UL, true)] // F_SETLKW
    [InlineData(Nr.fcntl, 6UL, false)] // F_SETLK
    [InlineData(Nr.epoll_wait, 0UL, false)] // -EINTR, which the program sees
    [InlineData(Nr.write, 0UL, false)] // part may be written
    [InlineData(Nr.accept, 0UL, false)] // -EINTR under SO_RCVTIMEO
    public void Only_waits_the_kernel_restarts_unchanged_are_interrupted_for_a_checkpoint(int number, ulong second, bool restarts) =>
        // Reads alone look at the descriptor (a pipe's or FIFO's), through the tracee.
        Assert.Equal(restarts, SyscallTable.RestartsWhenInterrupted(number, [0, second, 0, 0, 0, 0], null!));

    [Fact]
    public void Fstat_captures_a_struct_stat()
    {
        var memory = new FakeMemory().Map(0x70000, 4096, 1);
        AssertWrite(memory, Assert.Single(Capture(5, memory, 0, 3, 0x70000)), 0x70000, 144);
        AssertWrite(memory, Assert.Single(Capture(262, memory, 0, unchecked((ulong)-100), 0x1234, 0x70000)), 0x70000, 144);
    }

    [Fact]
    public void A_pointer_into_unmapped_memory_captures_nothing()
    {
        var memory = new FakeMemory().Map(0x70000, 4096, 1);
        Assert.Empty(Capture(5, memory, 0, 3, 0xdead0000));
        Assert.Empty(Capture(Nr.read, memory, 10, 3, 0xdead0000, 10));
        Assert.Empty(Capture(5, memory, 0, 3, 0));
        Assert.Empty(Capture(19, memory, 45, 3, 0xdead0000, 3));
    }

    [Fact]
    public void A_struct_running_into_unmapped_memory_captures_its_readable_part()
    {
        var memory = new FakeMemory().Map(0x70000, 100, 1);
        AssertWrite(memory, Assert.Single(Capture(5, memory, 0, 3, 0x70000)), 0x70000, 100);
    }

    [Fact]
    public void Huge_outputs_are_refused_rather_than_allocated()
    {
        var capture = new OutputCapture(new FakeMemory(), new ulong[6], 0);
        Assert.Throws<UnsupportedException>(() => capture.At(0x1000, (1L << 30) + 1));
    }
}
