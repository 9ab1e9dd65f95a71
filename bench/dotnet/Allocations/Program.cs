// A small allocation-heavy program: it builds and drops a few million small objects and strings
// in rounds, so that the garbage collector runs several times, and prints a checksum of what it
// built, the same at every run, and how many collections it took.
const int Rounds = 20;
const int PerRound = 150_000;

long checksum = 0;
List<Node> kept = [];
for (int round = 0; round < Rounds; round++)
{
    // Each round keeps one list of nodes alive and drops the previous one: generation 0 fills
    // with nodes and strings, and some survive into generation 1 until the next round.
    kept = new List<Node>(PerRound);
    for (int i = 0; i < PerRound; i++)
    {
        string name = $"node {round}:{i}";
        kept.Add(new Node(i, name, i % 7 == 0 ? null : new Node(-i, name.ToUpperInvariant(), null)));
    }
    foreach (Node n in kept)
    {
        checksum = unchecked(checksum * 31 + n.Value + n.Name.Length + (n.Next?.Name.Length ?? 0));
    }
}
Console.WriteLine($"checksum {checksum} over {kept.Count * Rounds} nodes, {GC.CollectionCount(0)} collections");

internal sealed record Node(int Value, string Name, Node? Next);
