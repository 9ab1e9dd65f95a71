using Rewind.Recording;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>What Rewind's page of hooked syscalls may make, and the stubs its patched sites jump to.</summary>
public sealed class SyscallHookPageTests
{
    /// <summary>
    /// A hooked call runs with every other thread stopped and no stop of its own: none may wait for
    /// another, but an open or a read, which the page makes only where its file cannot make it wait
    /// (the recordings of HookedSyscallTests open and read a FIFO another thread writes).
    /// </summary>
    [Fact]
    public void No_hooked_syscall_may_block()
    {
        var hooked = Enumerable.Range(0, 512).Where(SyscallHookPage.Hooks).ToList();
        Assert.Contains(Nr.newfstatat, hooked);
        Assert.Contains(Nr.futex, hooked);
        Assert.Equal([Nr.read, Nr.openat], hooked.Where(SyscallHookPage.ChecksTheFileFirst));
        foreach (int nr in hooked.Where(nr => !SyscallHookPage.ChecksTheFileFirst(nr)))
        {
            foreach (ulong operation in SyscallHookPage.OperationsOf(nr) ?? [0])
            {
                Assert.False(SyscallTable.MayBlock(nr, [0, operation, 0, 0, 0, 0]), $"{SyscallTable.Name(nr)} {operation}");
            }
        }
    }

    [Theory]
    [InlineData(0x7fff_f7ea_a4e0UL, 0x7fff_f800_0000UL, 0)]
    [InlineData(0x5555_5555_5000UL, 0x5555_d555_0000UL, 16)]
    public void A_stub_fits_its_room_and_goes_back_after_the_sites_syscall(ulong syscall, ulong stub, int movedLength)
    {
        byte[] code = SyscallHookPage.Stub(new RemotePtr(stub), new byte[movedLength], new RemotePtr(syscall), Nr.readlink);
        Assert.InRange(code.Length, 1, SyscallSites.StubRoom);
        // The return from the page, alone of the stub's places, is where an unwinder finds the site again.
        var memory = new FakeMemory().Map(stub, code);
        var found = Enumerable.Range(0, code.Length).Select(i => SyscallHookPage.StubReturnsTo(memory, stub + (ulong)i)).Where(r => r != null).ToList();
        Assert.Equal([syscall + 2], found);
    }
}
