using System.Diagnostics;
using System.Globalization;
using MerchantPortal.Web.Features.Printing;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Tests.Waybills.Labels;

namespace MerchantPortal.Benchmarks;

/// <summary>
/// P4: 1,000 labels (100×150 mm, Code 128, Chinese text) as one merged PDF in ≤ 1.5 s; ZPL ≥ 5,000 labels/s; and the
/// same for each size (100×150, 76×130, 100×180) in PDF, ZPL and TSPL.
/// A Stopwatch harness (BenchmarkDotNet takes minutes on a 2-core CI box): one warm-up, then the median of
/// <see cref="Runs"/> runs. Sample data is built before timing, so only rendering is measured.
/// </summary>
public static class LabelBenchmarks
{
    private const int Runs = 5;
    private const int PdfLabels = 1_000;
    private const int ZplLabels = 10_000;
    private const int SeparateLabels = 100;

    public static Task RunAsync()
    {
        var results = new List<(string Id, string What, string Result, string Target)>();
        var pdfSamples = LabelSamples.Many(PdfLabels);
        var zplSamples = LabelSamples.Many(ZplLabels);

        // Cold: the first label after start pays for reading the 5 MB collection, cutting the TTF and JIT.
        var cold = Stopwatch.StartNew();
        var pdf = new LabelPdfRenderer();
        var first = pdf.Render(pdfSamples[0]);
        cold.Stop();
        results.Add(("-", "first label after process start (font load, TTC → TTF cut, JIT)", Ms(cold.Elapsed.TotalMilliseconds), "-"));

        byte[] merged = [];
        var (mergedMs, mergedMin, mergedMax) = Time(() => merged = pdf.Render(pdfSamples));
        results.Add(("P4", $"{PdfLabels:N0} labels → one merged PDF ({merged.Length / 1024.0:N0} KB, {merged.Length / PdfLabels / 1024.0:0.0} KB/label)",
            $"{Ms(mergedMs)} ({PdfLabels / (mergedMs / 1000):N0} labels/s; runs {Ms(mergedMin)} – {Ms(mergedMax)})", "≤ 1,500 ms"));

        // The reprint path: one PDF per label embeds the font subset every time. Same labels, same run, for the ratio.
        long separateBytes = 0;
        var separateMs = Median(() =>
        {
            separateBytes = 0;
            for (var i = 0; i < SeparateLabels; i++)
            {
                separateBytes += pdf.Render(pdfSamples[i]).Length;
            }
        });
        var mergedPerLabel = mergedMs / PdfLabels;
        var separatePerLabel = separateMs / SeparateLabels;
        results.Add(("-", $"{SeparateLabels} labels as {SeparateLabels} single-label PDFs ({separateBytes / SeparateLabels / 1024.0:N0} KB each)",
            $"{separatePerLabel:0.00} ms/label (×{separatePerLabel / mergedPerLabel:0.0} the merged {mergedPerLabel:0.00} ms/label)", "-"));

        string zpl = "";
        var (zplMs, zplMin, zplMax) = Time(() => zpl = new LabelZplRenderer().Render(zplSamples));
        results.Add(("P4", $"{ZplLabels:N0} labels → ZPL ({zpl.Length / 1_000_000.0:0.0} M characters, {zpl.Length / ZplLabels:N0} per label)",
            $"{Ms(zplMs)} ({ZplLabels / (zplMs / 1000):N0} labels/s; runs {Ms(zplMin)} – {Ms(zplMax)})", "≥ 5,000 labels/s"));

        AddSizes(results, pdf, pdfSamples);

        Console.WriteLine($"P4 labels · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · " +
            $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024 / 1024} GB · {Environment.OSVersion} · .NET {Environment.Version} · " +
            $"median of {Runs} runs after a warm-up (first label {first.Length / 1024} KB)");
        Console.WriteLine();
        Console.WriteLine("| id | what | result | target |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (id, what, result, target) in results)
        {
            Console.WriteLine($"| {id} | {what} | {result} | {target} |");
        }
        return Task.CompletedTask;
    }

    /// <summary>P4 for every label size (100×150, 76×130, 100×180) and format: PDF, ZPL and TSPL, 1,000 labels each.</summary>
    private static void AddSizes(List<(string Id, string What, string Result, string Target)> results, LabelPdfRenderer pdf, IReadOnlyList<LabelData> samples)
    {
        var zpl = new LabelZplRenderer();
        var tspl = new LabelTsplRenderer();
        foreach (var size in Enum.GetValues<LabelSize>())
        {
            var name = size.ToString()[2..].Replace('x', '×');
            byte[] bytes = [];
            var (pdfMs, pdfMin, pdfMax) = Time(() => bytes = pdf.Render(samples, size));
            results.Add(("P4", $"{samples.Count:N0} labels {name} → one PDF ({bytes.Length / 1024.0:N0} KB)",
                $"{Ms(pdfMs)} (runs {Ms(pdfMin)} – {Ms(pdfMax)})", "≤ 1,500 ms"));
            var (zplMs, zplMin, zplMax) = Time(() => bytes = zpl.RenderUtf8(samples, size));
            results.Add(("P4", $"{samples.Count:N0} labels {name} → ZPL ({bytes.Length / samples.Count:N0} bytes per label)",
                $"{Ms(zplMs)} ({samples.Count / (zplMs / 1000):N0} labels/s; runs {Ms(zplMin)} – {Ms(zplMax)})", "≥ 5,000 labels/s"));
            var (tsplMs, tsplMin, tsplMax) = Time(() => bytes = tspl.RenderBytes(samples, size));
            results.Add(("P4", $"{samples.Count:N0} labels {name} → TSPL ({bytes.Length / samples.Count:N0} bytes per label, GB18030)",
                $"{Ms(tsplMs)} ({samples.Count / (tsplMs / 1000):N0} labels/s; runs {Ms(tsplMin)} – {Ms(tsplMax)})", "≥ 5,000 labels/s"));
        }
    }

    /// <summary>Median of the timed runs; also keeps the fastest and slowest, since the machine may be shared.</summary>
    private static double Median(Action action) => Time(action).Median;

    private static (double Median, double Min, double Max) Time(Action action)
    {
        action(); // warm-up
        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return (times[Runs / 2], times[0], times[^1]);
    }

    private static string Ms(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture) + " ms";
}
