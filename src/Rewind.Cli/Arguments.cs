namespace Rewind.Cli;

/// <summary>A verb's arguments: options first (--name value, --flag), then positionals; "--" ends options.</summary>
internal sealed class Arguments(IReadOnlyList<string> items)
{
    private readonly List<string> _items = [.. items];

    /// <summary>Takes "--name VALUE" (or "-short VALUE") if present.</summary>
    public string? Option(string name, string? shortName = null)
    {
        int end = OptionsEnd();
        for (int i = 0; i < end; i++)
        {
            if (_items[i] == name || _items[i] == shortName)
            {
                if (i + 1 >= _items.Count)
                {
                    throw new UsageException($"{name} needs a value");
                }
                string value = _items[i + 1];
                _items.RemoveRange(i, 2);
                return value;
            }
            if (_items[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                string value = _items[i][(name.Length + 1)..];
                _items.RemoveAt(i);
                return value;
            }
        }
        return null;
    }

    /// <summary>Takes a "--flag" if present.</summary>
    public bool Flag(string name)
    {
        int i = _items.IndexOf(name);
        if (i < 0 || i >= OptionsEnd())
        {
            return false;
        }
        _items.RemoveAt(i);
        return true;
    }

    /// <summary>Everything after "--" (the program and its arguments), removed from the list.</summary>
    public IReadOnlyList<string> AfterSeparator()
    {
        int i = _items.IndexOf("--");
        if (i < 0)
        {
            return [];
        }
        var rest = _items[(i + 1)..];
        _items.RemoveRange(i, _items.Count - i);
        return rest;
    }

    /// <summary>The remaining positionals; an unknown option is an error.</summary>
    public IReadOnlyList<string> Positionals(int max)
    {
        var unknown = _items.FirstOrDefault(a => a.StartsWith('-') && a.Length > 1);
        if (unknown != null)
        {
            throw new UsageException($"unknown option {unknown}");
        }
        if (_items.Count > max)
        {
            throw new UsageException($"unexpected argument {_items[max]}");
        }
        return _items;
    }

    private int OptionsEnd()
    {
        int i = _items.IndexOf("--");
        return i < 0 ? _items.Count : i;
    }
}
