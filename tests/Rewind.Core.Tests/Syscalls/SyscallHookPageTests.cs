using Rewind.Recording;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>What Rewind's page of hooked syscalls may make, and the stubs its patched sites jump to.</summary>
public sealed class SyscallHookPageTests
{
    /// <summary>A hooked call runs with every other thread stopped and no stop of its own: none may wait for another.</summary>
    [Fact]
    public void No_hooked_syscall_may_block()
    {
        var hooked = Enumerable.Range(0, 512).Where(SyscallHookPage.Hooks).ToList();
        Assert.Contains(Nr.newfstatat, hooked);
        Assert.All(hooked, nr => Assert.False(SyscallTable.MayBlock(nr, new ulong[6]), SyscallTable.Name(nr)));
    }

    [Theory]
    [InlineData(0x7fff_f7ea_a4e0UL, 0x7fff_f800_0000UL)]
    [InlineData(0x5555_5555_5000UL, 0x5555_d555_0000UL)]
    public void A_stub_fits_its_room_and_goes_back_after_the_sites_syscall(ulong site, ulong stub)
    {
        byte[] code = SyscallHookPage.Stub(new RemotePtr(stub), new RemotePtr(site), Nr.readlink);
        Assert.InRange(code.Length, 1, SyscallSites.StubRoom);
        // The return from the page is where an unwinder finds the site again.
        var memory = new FakeMemory().Map(stub, code);
        ulong back = stub + (ulong)code.Length - 13;
        Assert.Equal(site + SyscallHookPage.SiteLength + 2, SyscallHookPage.StubReturnsTo(memory, back));
        Assert.Null(SyscallHookPage.StubReturnsTo(memory, stub));
    }
}
