// Measures Rewind.Symbols on a large binary: parse time and memory, then lookup latency.
// Usage: dotnet run -c Release --project bench/symbols -- [path-to-elf-with-debug-info]
using System.Diagnostics;
using Rewind;
using Rewind.Symbols;
using Rewind.Symbols.Bench;

string path = args.Length > 0 ? args[0] : Bench.DefaultBinary();
Console.WriteLine($"binary: {path} ({new FileInfo(path).Length / 1e6:F1} MB)");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

long before = Bench.Memory();
var total = Stopwatch.StartNew();
var module = Bench.Time("open ELF (+ separate debug file)", () => Module.Load(path, new RemotePtr(0), new RemotePtr(ulong.MaxValue), 0));
var elf = module.DebugElf ?? module.Elf;
Console.WriteLine($"  .debug_info {elf.SectionData(".debug_info").Length / 1e6:F1} MB, .debug_line {elf.SectionData(".debug_line").Length / 1e6:F1} MB");
int units = Bench.Time("unit headers", () => Bench.UnitCount(module));
Console.WriteLine($"  {units} units");
Bench.Time("  of which: decoding the line programs", () => Bench.DecodeLinePrograms(module));
var lines = Bench.Time("line index (all line programs)", () => Bench.LineEntries(module));
Console.WriteLine($"  {lines.Length} line rows");
Bench.Time("first FunctionAt (unit range index)", () => module.FunctionAt(new RemotePtr(lines[lines.Length / 2])));
int dies = Bench.Time("parse every DIE of every unit", () => Bench.ParseAll(module));
Console.WriteLine($"  {dies} DIEs");
total.Stop();
long after = Bench.Memory();
Console.WriteLine($"total parse {total.Elapsed.TotalSeconds:F2} s, managed heap +{(after - before) / 1e6:F0} MB, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");

var random = new Random(1);
var addresses = Enumerable.Range(0, 100_000).Select(_ => lines[random.Next(lines.Length)] + (ulong)random.Next(4)).ToArray();
Bench.Latency("LineFor(address)", addresses, a => module.LineFor(new RemotePtr(a)));
Bench.Latency("FunctionAt(address)", addresses, a => module.FunctionAt(new RemotePtr(a)));
var samples = addresses.Take(2_000).Select(a => module.LineFor(new RemotePtr(a))).OfType<SourceLine>().ToArray();
Bench.Latency("AddressesFor(file, line)", samples, s => module.AddressesFor(s.File, s.Line));
Bench.Latency("SymbolAt(address)", addresses, a => module.SymbolAt(new RemotePtr(a)));
double perQuery = samples.Average(s => module.AddressesFor(s.File, s.Line).Count);
Console.WriteLine($"  {perQuery:F1} addresses per query on average (a line of an inlined header function has many)");
var single = samples.Where(s => module.AddressesFor(s.File, s.Line).Count == 1).Take(2_000).ToArray();
Bench.Latency("AddressesFor(file, line), one address", single, s => module.AddressesFor(s.File, s.Line));
