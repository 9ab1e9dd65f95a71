namespace Rewind.Timeline;

/// <summary>Which way in recorded time a motion goes.</summary>
public enum Direction
{
    Forward,
    Backward,
}
