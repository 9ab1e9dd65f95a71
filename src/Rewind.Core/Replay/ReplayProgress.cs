namespace Rewind.Replay;

/// <summary>How far a replay has come, for a progress line.</summary>
public readonly record struct ReplayProgress(long Event, long TotalEvents)
{
    public double Percent => TotalEvents == 0 ? 100 : 100.0 * Event / TotalEvents;
}
