int part2(int x)
{
    return x * 2 + 2;
}
