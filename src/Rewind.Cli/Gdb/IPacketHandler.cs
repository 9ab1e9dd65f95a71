namespace Rewind.Cli.Gdb;

/// <summary>One family of packets (queries, registers, memory, run control…).</summary>
internal interface IPacketHandler
{
    /// <summary>The reply to <paramref name="packet"/>, or null when the packet is not of this family.</summary>
    string? Handle(string packet);
}
