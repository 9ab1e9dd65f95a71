int part5(int x)
{
    return x * 5 + 5;
}
