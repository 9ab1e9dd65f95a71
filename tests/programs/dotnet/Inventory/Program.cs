// A stock of 150 counts in a static array, checked against a static limit: the check throws and
// nothing catches it, so the process ends with the runtime's abort, the statics and the arrays
// in reach. The tests find the lines by their "// line:" markers.
namespace Inventory;

public static class Program
{
    public static void Main()
    {
        Stock.Fill(150);
        Stock.Check(Stock.Counts); // line: check
    }
}

public static class Stock
{
    public static int Limit = 100;
    public static string Owner = "warehouse";
    public static int[] Counts = [];
    public static string?[] Names = ["bolt", "nut", null];
    public static Bin[] Bins = [new(1, 4), new(2, 7)];

    public static void Fill(int count)
    {
        Counts = new int[count];
        for (int i = 0; i < count; i++)
        {
            Counts[i] = i * 3;
        }
    }

    public static void Check(int[] counts)
    {
        if (counts.Length > Limit)
        {
            throw new InvalidOperationException($"{counts.Length} counts for {Owner}, over the limit {Limit}"); // line: throw
        }
    }
}

// An array of structs lies element by element, each with its fields in place.
public readonly struct Bin(int shelf, int slots)
{
    public readonly int Shelf = shelf;
    public readonly int Slots = slots;
}
