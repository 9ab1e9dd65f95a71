// The .NET runtime's start-up and one line of output: what `dotnet hello.dll` costs before the
// program does anything.
Console.WriteLine("hello");
