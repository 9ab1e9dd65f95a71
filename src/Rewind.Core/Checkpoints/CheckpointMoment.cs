namespace Rewind.Checkpoints;

/// <summary>
/// Where one process's image stands among the images of its moment (format 5): the images of
/// every process alive then are checkpoints <see cref="First"/> to <see cref="First"/> +
/// <see cref="Count"/> - 1, in a row, the first that of the process whose thread ran (a replay
/// starts from it and restores the others with it). <see cref="Count"/> 0: the image holds
/// <see cref="Pid"/> alone while others lived (a child's new image at its execve); no replay starts from it.
/// </summary>
/// <param name="Pid">The recorded pid of the process the image holds.</param>
public sealed record CheckpointMoment(int Pid, int First, int Count)
{
    /// <summary>Whether a replay starts from checkpoint <paramref name="index"/>, which has this moment.</summary>
    public bool IsStart(int index) => First == index && Count > 0;

    /// <summary>The checkpoints holding the other processes of a start's moment.</summary>
    public IEnumerable<int> Others => Enumerable.Range(First + 1, Math.Max(0, Count - 1));
}
