namespace Rewind.Checkpoints;

/// <summary>One thread of a checkpointed process: its recorded tid, its name (comm) and its state.</summary>
public sealed record CheckpointThread(Tid Tid, string Name, ThreadState State);
