using Rewind.Recording;
using Rewind.Syscalls;

namespace Rewind.Core.Tests.Syscalls;

/// <summary>Which syscall sites can be patched, and which instructions a stub runs in their place.</summary>
public sealed class SyscallSiteTests
{
    private const ulong Code = 0x7fff_f7fc_5000;

    /// <summary>The syscall's address when <paramref name="code"/> ends with it, mapped at <see cref="Code"/> after 32 bytes of int3.</summary>
    private static (FakeMemory, RemotePtr) Mapped(params byte[] code)
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0xcc, 32), .. code];
        return (new FakeMemory().Map(Code, bytes), new RemotePtr(Code + (ulong)bytes.Length - 2));
    }

    [Fact]
    public void A_mov_right_before_the_syscall_is_the_site_with_nothing_moved()
    {
        // mov eax, 0x59 (readlink); syscall
        var (memory, syscall) = Mapped(0xb8, 0x59, 0, 0, 0, 0x0f, 0x05);
        var site = SyscallSite.Find(memory, syscall, Nr.readlink, new HashSet<ulong>());
        Assert.NotNull(site);
        Assert.Equal(syscall - 5, site.At);
        Assert.Empty(site.Moved);
    }

    [Fact]
    public void Ld_sos_open_moves_the_arguments_it_sets_after_the_number()
    {
        // mov edx, esi (its last byte 0xf2, a prefix that leaves a mov as it is); mov eax, 0x101;
        // mov rsi, rdi; mov edi, 0xffffff9c; syscall (ld.so's __open64_nocancel)
        byte[] between = [0x48, 0x89, 0xfe, 0xbf, 0x9c, 0xff, 0xff, 0xff];
        var (memory, syscall) = Mapped([0x89, 0xf2, 0xb8, 0x01, 0x01, 0, 0, .. between, 0x0f, 0x05]);
        var site = SyscallSite.Find(memory, syscall, Nr.openat, new HashSet<ulong>());
        Assert.NotNull(site);
        Assert.Equal(syscall - 13, site.At);
        Assert.Equal(between, site.Moved);
    }

    [Theory]
    // mov r8d, 0x101 (a REX prefix before the b8); syscall
    [InlineData(new byte[] { 0x41, 0xb8, 0x01, 0x01, 0, 0, 0x0f, 0x05 })]
    // mov ax, 0x101 (an operand-size prefix: a 2-byte immediate); add [rax], al; syscall
    [InlineData(new byte[] { 0x66, 0xb8, 0x01, 0x01, 0, 0, 0x0f, 0x05 })]
    // mov eax, 0x101; mov [rsp+8], rdi (a store); syscall
    [InlineData(new byte[] { 0xb8, 0x01, 0x01, 0, 0, 0x48, 0x89, 0x7c, 0x24, 0x08, 0x0f, 0x05 })]
    // mov eax, 0x101; mov rdx, rax (reads the number); syscall
    [InlineData(new byte[] { 0xb8, 0x01, 0x01, 0, 0, 0x48, 0x89, 0xc2, 0x0f, 0x05 })]
    // mov eax, 0x101; lea rsi, [rip+0x10] (relative to where it runs); syscall
    [InlineData(new byte[] { 0xb8, 0x01, 0x01, 0, 0, 0x48, 0x8d, 0x35, 0x10, 0, 0, 0, 0x0f, 0x05 })]
    // mov eax, 0x101; push rdi (moves rsp); syscall
    [InlineData(new byte[] { 0xb8, 0x01, 0x01, 0, 0, 0x57, 0x0f, 0x05 })]
    // mov eax, 0x101; jmp +0 (a branch); syscall
    [InlineData(new byte[] { 0xb8, 0x01, 0x01, 0, 0, 0xeb, 0x00, 0x0f, 0x05 })]
    // mov eax, 0x102 (another number); syscall
    [InlineData(new byte[] { 0xb8, 0x02, 0x01, 0, 0, 0x0f, 0x05 })]
    public void A_site_whose_instructions_would_not_run_the_same_in_a_stub_is_left_alone(byte[] code)
    {
        var (memory, syscall) = Mapped(code);
        Assert.Null(SyscallSite.Find(memory, syscall, Nr.openat, new HashSet<ulong>()));
    }

    /// <summary>glibc's read: <c>xor eax, eax; syscall; cmp rax, -4096; ja; ret</c>, then padding.</summary>
    private static readonly byte[] Read = [0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff, 0x77, 0x5b, 0xc3];

    [Fact]
    public void A_reads_xor_hops_through_the_padding_after_the_return()
    {
        // Ten bytes of cs nopw after the ret, as glibc's read has.
        byte[] padding = [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00];
        var memory = new FakeMemory().Map(Code, [.. Enumerable.Repeat((byte)0xcc, 32), .. Read, .. padding, 0x48, 0x83, 0xec, 0x28]);
        var syscall = new RemotePtr(Code + 34);
        var site = SyscallSite.Find(memory, syscall, Nr.read, new HashSet<ulong>());
        Assert.NotNull(site);
        Assert.Equal(syscall - 2, site.At);
        Assert.Empty(site.Moved);
        Assert.Equal(new RemotePtr(Code + 32 + (ulong)Read.Length), site.Hop);
        // A hop taken by another site is not taken again.
        Assert.Null(SyscallSite.Find(memory, syscall, Nr.read, new HashSet<ulong> { site.Hop!.Value.Value }));
    }

    [Theory]
    // Three bytes of padding: no room for a jump; then code.
    [InlineData(new byte[] { 0x0f, 0x1f, 0x00, 0x48, 0x83, 0xec, 0x28, 0xc3 })]
    // No return before the nops: they are the code's own, run on the way.
    [InlineData(new byte[] { 0x90, 0x90, 0x90, 0x90, 0x90, 0x90 })]
    public void A_read_with_no_padding_to_hop_through_is_no_site(byte[] after)
    {
        byte[] code = after[0] == 0x90 ? [.. Read[..^1], .. after] : [.. Read, .. after];
        var memory = new FakeMemory().Map(Code, [.. Enumerable.Repeat((byte)0xcc, 32), .. code]);
        Assert.Null(SyscallSite.Find(memory, new RemotePtr(Code + 34), Nr.read, new HashSet<ulong>()));
    }

    [Fact]
    public void A_mov_too_far_from_the_syscall_is_no_site()
    {
        // mov eax, 0x101; nine 2-byte register moves (18 bytes); syscall
        byte[] between = [.. Enumerable.Range(0, 9).SelectMany(_ => new byte[] { 0x89, 0xfe })];
        var (memory, syscall) = Mapped([0xb8, 0x01, 0x01, 0, 0, .. between, 0x0f, 0x05]);
        Assert.Null(SyscallSite.Find(memory, syscall, Nr.openat, new HashSet<ulong>()));
    }
}
