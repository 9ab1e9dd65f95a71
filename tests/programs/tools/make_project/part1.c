int part1(int x)
{
    return x * 1 + 1;
}
