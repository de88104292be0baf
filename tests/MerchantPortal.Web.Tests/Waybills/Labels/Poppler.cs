using System.Diagnostics;
using System.Text;

namespace MerchantPortal.Web.Tests.Waybills.Labels;

/// <summary>
/// Runs poppler-utils (pdftoppm, pdftotext, pdfinfo, pdffonts) on a PDF: an independent reader, so the tests check
/// what a printer driver or a viewer would see, not what PDFsharp believes it wrote. `./portal test` installs
/// poppler-utils when it is missing.
/// </summary>
internal sealed class Poppler : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("labels-").FullName;

    public string Write(byte[] pdf, string name = "labels.pdf")
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, pdf);
        return path;
    }

    public async Task<string> TextAsync(string pdf, int? page = null)
    {
        var args = new List<string> { "-layout", "-enc", "UTF-8" };
        if (page is { } p)
        {
            args.AddRange(["-f", p.ToString(), "-l", p.ToString()]);
        }
        args.AddRange([pdf, "-"]);
        return await RunAsync("pdftotext", args);
    }

    public async Task<int> PageCountAsync(string pdf)
    {
        var info = await RunAsync("pdfinfo", [pdf]);
        var line = info.Split('\n').Single(l => l.StartsWith("Pages:", StringComparison.Ordinal));
        return int.Parse(line["Pages:".Length..].Trim());
    }

    public Task<string> FontsAsync(string pdf) => RunAsync("pdffonts", [pdf]);

    /// <summary>Rasterizes page 1 as 8-bit grey (PGM: a tiny header, then one byte per pixel).</summary>
    public async Task<GrayImage> RasterizeAsync(string pdf, int dpi = 300)
    {
        var prefix = Path.Combine(directory, Path.GetFileNameWithoutExtension(pdf) + "-gray");
        await RunAsync("pdftoppm", ["-gray", "-r", dpi.ToString(), "-f", "1", "-l", "1", "-singlefile", pdf, prefix]);
        return GrayImage.ReadPgm(await File.ReadAllBytesAsync(prefix + ".pgm"));
    }

    public async Task WritePngAsync(string pdf, string pngPath, int dpi)
    {
        var prefix = Path.Combine(directory, "png");
        await RunAsync("pdftoppm", ["-png", "-r", dpi.ToString(), "-f", "1", "-l", "1", "-singlefile", pdf, prefix]);
        Directory.CreateDirectory(Path.GetDirectoryName(pngPath)!);
        File.Copy(prefix + ".png", pngPath, overwrite: true);
    }

    private static async Task<string> RunAsync(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {await stderr}");
        }
        return await stdout;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}

/// <summary>An 8-bit greyscale raster.</summary>
internal sealed record GrayImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>Binary PGM (P5, maxval 255): "P5", width, height, maxval as whitespace-separated ASCII, one whitespace, pixels.</summary>
    public static GrayImage ReadPgm(byte[] data)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[position]) || data[position] == '#')
            {
                if (data[position] == '#')
                {
                    while (data[position] != '\n')
                    {
                        position++;
                    }
                }
                position++;
            }
            var start = position;
            while (!char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }
            return Encoding.ASCII.GetString(data, start, position - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token());
        var height = int.Parse(Token());
        Assert.Equal("255", Token());
        position++; // the single whitespace after maxval
        Assert.Equal(width * height, data.Length - position);
        return new GrayImage(width, height, data[position..]);
    }

    /// <summary>Share of pixels darker than mid-grey inside a rectangle given in millimetres.</summary>
    public double DarkShare(double xMm, double yMm, double wMm, double hMm, double dpi)
    {
        int Px(double mm) => (int)Math.Round(mm / 25.4 * dpi);
        int dark = 0, total = 0;
        for (var y = Px(yMm); y < Px(yMm + hMm); y++)
        {
            for (var x = Px(xMm); x < Px(xMm + wMm); x++)
            {
                total++;
                if (Pixels[(y * Width) + x] < 128)
                {
                    dark++;
                }
            }
        }
        return (double)dark / total;
    }
}
