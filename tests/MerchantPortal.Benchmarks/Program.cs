using MerchantPortal.Benchmarks;

// Runs the benchmark named on the command line, e.g.
//   dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- labels
// Each benchmark prints its own Markdown table, ready for docs/benchmarks.md.
var benchmarks = new Dictionary<string, Func<Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["labels"] = LabelBenchmarks.RunAsync, // P4
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: dotnet run -c Release --project tests/MerchantPortal.Benchmarks -- <{string.Join('|', benchmarks.Keys)}>");
    return 2;
}
await run();
return 0;
