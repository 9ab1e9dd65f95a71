int part6(int x)
{
    return x * 6 + 6;
}
